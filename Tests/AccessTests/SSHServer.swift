import Foundation
import TestSupport

/// A throwaway operator: a user in group `vmready` (the group that may open the switch's
/// control socket), created for one test and removed after it. The group is created too
/// when the machine lacks it, and then removed.
final class OperatorAccount {
    let user: String
    let home: URL
    private let createdGroup: Bool

    init() throws {
        user = "vmrop" + UUID().uuidString.prefix(6).lowercased()
        home = FileManager.default.temporaryDirectory.appendingPathComponent("vmready-\(user)")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        chmod(home.path, 0o755)
        createdGroup = getgrnam("vmready") == nil
        if createdGroup { try Self.run("groupadd", ["vmready"]) }
        try Self.run("useradd", ["-M", "-d", home.path, "-s", "/bin/sh", "-G", "vmready", user])
        // Not locked (`!`), no password either: sshd without PAM refuses locked accounts.
        try Self.run("usermod", ["-p", "*", user])
    }

    deinit {
        _ = try? Self.run("userdel", [user])
        if createdGroup { _ = try? Self.run("groupdel", ["vmready"]) }
        try? FileManager.default.removeItem(at: home)
    }

    @discardableResult
    static func run(_ tool: String, _ arguments: [String]) throws -> String {
        guard let path = program(tool) else { throw TerminalTestFailure(description: "\(tool) is not installed") }
        return try TmuxTerminal.runProcess(URL(fileURLWithPath: path), arguments)
    }
}

/// A real OpenSSH server on 127.0.0.1 at a free port, with its own host key, config and
/// authorized key, whose only command for the operator is `vmready connect` (ForceCommand),
/// as contrib/sshd_config.vmready sets it up.
final class SSHServer {
    let port: Int
    let account: OperatorAccount
    private let directory: URL
    private let pid: pid_t

    init(account: OperatorAccount, switch sw: HeadlessSwitch) throws {
        guard let sshd = program("sshd"), let keygen = program("ssh-keygen"), program("ssh") != nil else {
            throw TerminalTestFailure(description:
                "OpenSSH is not installed: run `make test` (it installs openssh-server and openssh-client)")
        }
        self.account = account
        directory = account.home
        // sshd insists on its privilege-separation directory.
        try FileManager.default.createDirectory(atPath: "/run/sshd", withIntermediateDirectories: true)
        let hostKey = directory.appendingPathComponent("host_key").path
        let userKey = directory.appendingPathComponent("user_key").path
        _ = try TmuxTerminal.runProcess(URL(fileURLWithPath: keygen), ["-q", "-t", "ed25519", "-N", "", "-f", hostKey])
        _ = try TmuxTerminal.runProcess(URL(fileURLWithPath: keygen), ["-q", "-t", "ed25519", "-N", "", "-f", userKey])
        let authorized = directory.appendingPathComponent("authorized_keys")
        try FileManager.default.copyItem(atPath: userKey + ".pub", toPath: authorized.path)
        chmod(authorized.path, 0o644)
        port = try LoopbackPort.free()
        let binary = try TmuxTerminal.vmreadyBinary().path
        let config = directory.appendingPathComponent("sshd_config")
        try """
            Port \(port)
            ListenAddress 127.0.0.1
            HostKey \(hostKey)
            PidFile \(directory.appendingPathComponent("sshd.pid").path)
            AuthorizedKeysFile \(authorized.path)
            StrictModes no
            UsePAM no
            PasswordAuthentication no
            KbdInteractiveAuthentication no
            AllowUsers \(account.user)
            PermitTTY yes
            AllowTcpForwarding no
            X11Forwarding no
            ForceCommand \(binary) connect --state-dir \(sw.stateDir.path)

            """.write(to: config, atomically: true, encoding: .utf8)
        pid = try ChildProcess.spawn(sshd, ["-D", "-e", "-f", config.path],
                                     stdoutPath: directory.appendingPathComponent("sshd.out").path,
                                     stderrPath: directory.appendingPathComponent("sshd.log").path)
        guard HeadlessSwitch.eventually(10, { Self.accepts(port: port) }) else {
            throw TerminalTestFailure(description: "sshd does not listen on port \(port): \(log)")
        }
    }

    deinit {
        kill(pid, SIGTERM)
        var status: Int32 = 0
        waitpid(pid, &status, 0)
    }

    var log: String { (try? String(contentsOf: directory.appendingPathComponent("sshd.log"), encoding: .utf8)) ?? "" }

    /// `ssh -tt` as the operator, for a tmux pane.
    var clientCommand: [String] {
        [program("ssh") ?? "ssh", "-tt", "-F", "/dev/null", "-i", directory.appendingPathComponent("user_key").path,
         "-p", String(port), "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null",
         "-o", "BatchMode=yes", "-o", "LogLevel=ERROR", "\(account.user)@127.0.0.1"]
    }

    static func accepts(port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }
}
