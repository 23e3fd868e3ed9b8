#if os(Linux)
import Foundation
import Glibc

/// libvirtd (Debian's 9.0) with its built-in `test` driver on a lab host: one hypervisor,
/// as /work/shared/spec/interop.md runs it, in the host's network namespace and in UTS and
/// IPC namespaces of its own, so that it reports its own hostname (the test driver answers
/// virConnectGetHostname with the process's).
///
/// Clients reach it through its UNIX socket in the lab's scratch directory, not TCP: the
/// VM manager connects from the root namespace (the test runner's), and the lab's IPv4
/// addresses may only live inside the namespaces the test creates. The socket path works
/// from any network namespace.
///
/// The test driver keeps `test:///default`'s domains only while a client is connected, so
/// a `virsh event --loop` stays connected for as long as the daemon runs; its output is the
/// daemon's own account of the events, for failure messages.
final class HypervisorDaemon {
    let host: LabHost
    let hostname: String
    /// `test+unix:///default?socket=...`: the test driver's shared state, over the socket.
    let uri: String
    private let directory: String
    private let runDirectory: String
    private let configPath: String
    private let pidPath: String
    private var daemon: pid_t?
    private var keeper: pid_t?
    private var stopped = false
    private var starts = 0

    /// The test driver's built-in domain, present in every fresh `test:///default`.
    static let builtinDomain = (name: "test", uuid: "6695eb01-f6a4-8304-79aa-97f2502e193f", mac: "aa:bb:cc:dd:ee:ff")

    /// Prepares the daemon's directories and configuration; `start` runs it.
    init(host: LabHost, scratch: String, hostname: String) throws {
        self.host = host
        self.hostname = hostname
        directory = scratch + "/libvirt-" + host.namespace
        runDirectory = directory + "/run"
        configPath = directory + "/libvirtd.conf"
        pidPath = directory + "/libvirtd.pid"
        uri = "test+unix:///default?socket=\(runDirectory)/libvirt-sock"
        for dir in [directory, runDirectory, directory + "/drivers"] {
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        }
        // Only the UNIX sockets; no TCP or TLS listener, no authentication on them.
        try """
            listen_tcp = 0
            listen_tls = 0
            unix_sock_dir = "\(runDirectory)"
            unix_sock_rw_perms = "0700"
            auth_unix_rw = "none"
            auth_unix_ro = "none"

            """.write(toFile: configPath, atomically: true, encoding: .utf8)
        for tool in ["libvirtd", "virsh", "virt-admin", "unshare", "hostname"] { _ = try HostProcesses.executable(tool) }
    }

    deinit { tearDown() }

    /// Starts libvirtd (again, after `kill`: a fresh test driver, only the built-in domain)
    /// and its keeper client; returns once both are connected.
    func start(timeout: Double = 20) throws {
        guard daemon == nil else { return }
        starts += 1
        let base = directory + "/libvirtd-\(starts)"
        // An empty driver directory: only the drivers built into libvirtd (remote, test),
        // none of the system's (QEMU would look for KVM and the system's state).
        let script = "hostname \(hostname); LIBVIRT_DRIVER_DIR=\(directory)/drivers exec libvirtd -f \(configPath) -p \(pidPath)"
        daemon = try HostProcesses.spawn(host.command(["unshare", "--uts", "--ipc", "sh", "-c", script]),
                                         stdoutPath: base + ".out", stderrPath: base + ".err")
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            if let result = try? virsh(["hostname"], timeout: 5), result.succeeded,
               result.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == hostname { break }
            guard Date() < deadline, let pid = daemon, HostProcesses.wait(for: pid, timeout: 0.2) == nil else {
                throw LabFailure(description: "libvirtd in \(host.namespace) did not come up\n\(log)")
            }
        }
        keeper = try HostProcesses.spawn(["virsh", "-c", uri, "event", "--all", "--loop"],
                                         stdoutPath: directory + "/events-\(starts).out",
                                         stderrPath: directory + "/events-\(starts).err")
        while try clientCount() < 1 {
            guard Date() < deadline else { throw LabFailure(description: "virsh event never connected to \(host.namespace)\n\(log)") }
            usleep(100_000)
        }
    }

    /// Clients connected to libvirtd's main server (read through its admin socket).
    private func clientCount() throws -> Int {
        let result = try HostProcesses.run(["virt-admin", "-c", "libvirtd:///system?socket=\(runDirectory)/libvirt-admin-sock",
                                            "client-list", "libvirtd"], timeout: 5)
        guard result.succeeded else { return 0 }
        return result.stdout.split(separator: "\n").filter { $0.contains("unix") }.count
    }

    /// libvirtd's own pid, from its pid file: `ip netns exec`, `unshare` and `sh` all exec
    /// into it, so it should be the spawned one; signals go to this one in any case.
    private var libvirtdPID: pid_t? {
        (try? String(contentsOfFile: pidPath, encoding: .utf8)).flatMap { pid_t($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
    }

    /// A crash: SIGKILL, so every client sees the socket close; the keeper goes too.
    func kill() {
        if let pid = daemon {
            if let own = libvirtdPID, own != pid { _ = Glibc.kill(own, SIGKILL) }
            HostProcesses.kill(pid)
        }
        daemon = nil
        stopped = false
        if let pid = keeper { HostProcesses.kill(pid) }
        keeper = nil
    }

    /// A hung host: SIGSTOP. Connections stay open and nothing answers.
    func pause() throws {
        guard daemon != nil, let pid = libvirtdPID else { throw LabFailure(description: "libvirtd in \(host.namespace) is not running") }
        _ = Glibc.kill(pid, SIGSTOP)
        stopped = true
    }

    func resume() {
        guard daemon != nil, stopped, let pid = libvirtdPID else { return }
        _ = Glibc.kill(pid, SIGCONT)
        stopped = false
    }

    /// Kills everything and removes the daemon's directory; never throws.
    func tearDown() {
        kill()
        try? FileManager.default.removeItem(atPath: directory)
    }

    // MARK: Domains

    /// Defines a test-driver domain with one interface per MAC (the first a user-mode one,
    /// the others on the `default` network, as the test driver accepts both).
    func define(name: String, uuid: String, macs: [String]) throws {
        let interfaces = macs.enumerated().map { index, mac in
            index == 0
                ? "    <interface type='user'><mac address='\(mac)'/></interface>"
                : "    <interface type='network'><source network='default'/><mac address='\(mac)'/></interface>"
        }.joined(separator: "\n")
        let xml = """
            <domain type='test'>
              <name>\(name)</name>
              <uuid>\(uuid)</uuid>
              <memory unit='KiB'>65536</memory>
              <vcpu>1</vcpu>
              <os><type arch='x86_64'>hvm</type></os>
              <devices>
            \(interfaces)
              </devices>
            </domain>

            """
        let path = directory + "/\(name).xml"
        try xml.write(toFile: path, atomically: true, encoding: .utf8)
        try mustVirsh(["define", path])
    }

    func start(domain: String) throws { try mustVirsh(["start", domain]) }
    func destroy(domain: String) throws { try mustVirsh(["destroy", domain]) }
    func undefine(domain: String) throws { try mustVirsh(["undefine", domain]) }
    /// `virsh save`: the domain stops (Stopped/Saved) and its state goes to `path`.
    func save(domain: String, to path: String) throws { try mustVirsh(["save", domain, path]) }
    /// `virsh restore`: the saved domain starts here (Started/Restored), transient unless defined.
    func restore(from path: String) throws { try mustVirsh(["restore", path]) }

    /// What `virsh metadata DOMAIN --uri urn:x-vmready:switchport:1` prints (the running
    /// copy when it runs), trimmed; nil when the domain has no such element. `config` reads
    /// the persistent definition instead.
    func metadata(domain: String, config: Bool = false) throws -> String? {
        let result = try virsh(["metadata", domain, "--uri", "urn:x-vmready:switchport:1"] + (config ? ["--config"] : []))
        guard result.succeeded else {
            if result.stderr.contains("metadata not found") { return nil }
            throw LabFailure(description: "reading metadata failed: \(result.summary)\n\(log)")
        }
        return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @discardableResult
    func virsh(_ arguments: [String], timeout: Double = 15) throws -> ProgramResult {
        try HostProcesses.run(["virsh", "-q", "-c", uri] + arguments, timeout: timeout)
    }

    private func mustVirsh(_ arguments: [String]) throws {
        let result = try virsh(arguments)
        guard result.succeeded else { throw LabFailure(description: "virsh failed: \(result.summary)\n\(log)") }
    }

    /// libvirtd's output and the keeper's event log, for failure messages.
    var log: String {
        var out = "--- libvirtd \(hostname) in \(host.namespace) ---\n"
        for start in 1...max(1, starts) {
            for name in ["libvirtd-\(start).err", "events-\(start).out", "events-\(start).err"] {
                let text = (try? String(contentsOfFile: directory + "/" + name, encoding: .utf8)) ?? ""
                if !text.isEmpty { out += "[\(name)]\n\(text)" }
            }
        }
        return out
    }
}
#endif
