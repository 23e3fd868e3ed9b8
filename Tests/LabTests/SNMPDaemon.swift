#if os(Linux)
import Foundation
import Glibc

/// net-snmp's snmpd (Debian 5.9.3) as the AgentX master the switch registers with, as
/// /work/shared/spec/interop.md runs it: in the foreground, with its own configuration,
/// log, pid file and persistent directory in the lab's scratch directory, AgentX on a Unix
/// socket there, SNMP on 127.0.0.1 at a free UDP port, and without its own IF-MIB (which
/// would shadow the switch's ports). Never the system's snmpd or its files.
final class SNMPDaemon {
    static let community = "vmready-lab"
    /// The SNMPv3 user (USM, authPriv with SHA and AES).
    static let user = "nms"
    static let authPassphrase = "lab-auth-passphrase"
    static let privPassphrase = "lab-priv-passphrase"

    let directory: String
    /// The AgentX master's socket (the switch's `snmp-server enable agentx socket`).
    let socket: String
    let port: Int
    private let configPath: String
    private let logPath: String
    private var pid: pid_t?

    init(scratch: String) throws {
        directory = scratch + "/snmpd"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        socket = directory + "/agentx.sock"
        port = try Self.freeUDPPort()
        configPath = directory + "/snmpd.conf"
        logPath = directory + "/snmpd.log"
        let config = """
            [snmp] persistentDir \(directory)/persist
            master agentx
            agentXSocket unix:\(socket)
            agentaddress udp:127.0.0.1:\(port)
            rocommunity \(Self.community) 127.0.0.1
            createUser \(Self.user) SHA "\(Self.authPassphrase)" AES "\(Self.privPassphrase)"
            rouser \(Self.user) authPriv

            """
        try config.write(toFile: configPath, atomically: true, encoding: .utf8)
        try start()
    }

    deinit { stop() }

    /// Starts snmpd and waits until its AgentX socket is there (at most 10 s).
    func start() throws {
        precondition(pid == nil, "snmpd is already running")
        pid = try HostProcesses.spawn(["snmpd", "-f", "-Lf", logPath, "-C", "-c", configPath, "-p", directory + "/snmpd.pid",
                                       "-I", "-ifTable,ifXTable,interfaces"],
                                      stdoutPath: directory + "/snmpd.out", stderrPath: directory + "/snmpd.err")
        let deadline = Date().addingTimeInterval(10)
        while access(socket, F_OK) != 0 {
            guard Date() < deadline else { throw LabFailure(description: "snmpd made no AgentX socket within 10 s\n\(log)") }
            usleep(50_000)
        }
    }

    /// SIGTERM (snmpd closes its AgentX sessions), SIGKILL after 10 s.
    func stop() {
        guard let pid else { return }
        self.pid = nil
        _ = Glibc.kill(pid, SIGTERM)
        if HostProcesses.wait(for: pid, timeout: 10) == nil { HostProcesses.kill(pid) }
        unlink(socket)
    }

    /// What snmpd logged, for failure messages (its MIB-file complaints left out).
    var log: String {
        let text = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
        let kept = text.split(separator: "\n").filter {
            !["Cannot find module", "Did not find", "Unlinked OID", "Undefined identifier", "Cannot adopt OID"]
                .contains(where: $0.hasPrefix)
        }
        return "--- snmpd ---\n" + kept.suffix(40).joined(separator: "\n")
    }

    enum Version { case v2c, v3 }

    /// The snmpwalk (or snmpget) arguments for `version`: the community, or the v3 user
    /// with authentication and privacy.
    func credentials(_ version: Version) -> [String] {
        switch version {
        case .v2c: ["-v2c", "-c", Self.community]
        case .v3: ["-v3", "-l", "authPriv", "-u", Self.user, "-a", "SHA", "-A", Self.authPassphrase,
                   "-x", "AES", "-X", Self.privPassphrase]
        }
    }

    /// `snmpwalk -On` under `oid`: numeric OID → value as printed (`INTEGER: 1`,
    /// `STRING: "x"`, `Hex-STRING: 02 00 ...`); empty when nothing is there.
    func walk(_ oid: String, _ version: Version = .v2c) throws -> [String: String] {
        let result = try HostProcesses.run(["snmpwalk"] + credentials(version) + ["-On", "-Ot", "-m", "", "-r", "2", "-t", "3",
                                                                                  "127.0.0.1:\(port)", oid])
        guard result.succeeded else { throw LabFailure(description: "snmpwalk failed: \(result.summary)\n\(log)") }
        var values: [String: String] = [:]
        for line in result.stdout.split(separator: "\n") {
            guard line.hasPrefix("."), let range = line.range(of: " = ") else { continue }
            let value = String(line[range.upperBound...])
            // "No Such Object ..." and the like: nothing there.
            guard !value.hasPrefix("No Such"), !value.hasPrefix("No more variables") else { continue }
            values[String(line[..<range.lowerBound])] = value
        }
        return values
    }

    /// A free UDP port on 127.0.0.1 (bound by the kernel's choice, then released).
    private static func freeUDPPort() throws -> Int {
        let fd = Glibc.socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        guard fd >= 0 else { throw LabFailure(description: "socket: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(fd, pointer, length) == 0 && getsockname(fd, pointer, &length) == 0
            }
        }
        guard bound else { throw LabFailure(description: "bind: \(String(cString: strerror(errno)))") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
#endif
