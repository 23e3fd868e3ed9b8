import Foundation

/// A real rsyslogd collecting on 127.0.0.1 (UDP and TCP with octet counting, each on a free
/// port), run in the foreground from a temporary directory with its own configuration
/// (interop.md, "rsyslog and net-snmp"), writing what it receives in RFC 5424 form
/// (RSYSLOG_SyslogProtocol23Format) to a file the tests read back with `received()`.
/// Stopped (SIGTERM, then SIGKILL) and removed by `stop()` or deinit, also when a test fails.
public final class RsyslogServer: @unchecked Sendable {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// One message as rsyslog wrote it: `<PRI>1 TIMESTAMP HOST APP PROCID MSGID SD MSG`.
    public struct Message: Sendable, Hashable {
        public let pri: Int
        public let timestamp: String
        public let hostname: String
        public let appName: String
        public let procID: String
        public let msgID: String
        /// `-`, or the SD-ELEMENTs as written (escapes kept).
        public let structuredData: String
        public let text: String

        public var facility: Int { pri / 8 }
        public var severity: Int { pri % 8 }
    }

    public static let binary = "/usr/sbin/rsyslogd"
    public static var isAvailable: Bool { FileManager.default.isExecutableFile(atPath: binary) }

    public let directory: String
    public let udpPort: Int
    public let tcpPort: Int
    public var outputFile: String { directory + "/received.log" }
    private var pid: pid_t = 0
    private let lock = NSLock()
    private var stopped = false

    public init() throws {
        var template = Array("/tmp/vmready-rsyslog-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw Failure(description: "mkdtemp: \(String(cString: strerror(errno)))") }
        directory = String(cString: made)
        udpPort = try LoopbackPort.free(udp: true)
        tcpPort = try LoopbackPort.free()
        let config = """
            global(workDirectory="\(directory)")
            module(load="imudp")
            module(load="imtcp")
            input(type="imudp" address="127.0.0.1" port="\(udpPort)")
            input(type="imtcp" address="127.0.0.1" port="\(tcpPort)")
            *.* action(type="omfile" file="\(directory)/received.log" template="RSYSLOG_SyslogProtocol23Format")

            """
        do {
            try Data(config.utf8).write(to: URL(fileURLWithPath: directory + "/rsyslog.conf"))
            try launch()
        } catch {
            lock.withLock { stopped = true }
            try? FileManager.default.removeItem(atPath: directory)
            throw error
        }
    }

    deinit { stop() }

    /// Starts rsyslogd and waits until its TCP input accepts (the inputs start together).
    private func launch() throws {
        pid = try ChildProcess.spawn(Self.binary, ["-n", "-f", directory + "/rsyslog.conf", "-i", directory + "/rsyslogd.pid"],
                                     stdoutPath: directory + "/rsyslogd.out", stderrPath: directory + "/rsyslogd.err")
        let deadline = Date().addingTimeInterval(20)
        while !Self.accepts(tcpPort) {
            var status: Int32 = 0
            if waitpid(pid, &status, WNOHANG) == pid {
                pid = 0
                let err = (try? String(contentsOfFile: directory + "/rsyslogd.err", encoding: .utf8)) ?? ""
                throw Failure(description: "rsyslogd exited (wait status \(status)): \(err)")
            }
            guard Date() < deadline else {
                terminate()
                throw Failure(description: "rsyslogd did not listen on TCP \(tcpPort) within 20 s")
            }
            usleep(20_000)
        }
    }

    /// The collector goes down (its connections close) and comes back on the same ports,
    /// appending to the same file.
    public func restart(whileDown: () -> Void) throws {
        terminate()
        whileDown()
        try launch()
    }

    /// Ends rsyslogd and removes its directory. Safe to call twice.
    public func stop() {
        let first = lock.withLock {
            defer { stopped = true }
            return !stopped
        }
        guard first else { return }
        terminate()
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// SIGTERM, then SIGKILL after 5 s; reaped.
    private func terminate() {
        guard pid > 0 else { return }
        defer { pid = 0 }
        kill(pid, SIGTERM)
        var status: Int32 = 0
        var gone = false
        for _ in 0..<500 {
            if waitpid(pid, &status, WNOHANG) == pid { gone = true; break }
            usleep(10_000)
        }
        if !gone {
            kill(pid, SIGKILL)
            while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        }
    }

    /// What rsyslog wrote so far, parsed (rsyslog's own lines included).
    public func received() -> [Message] {
        let text = (try? String(contentsOfFile: outputFile, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").compactMap { Self.parse(String($0)) }
    }

    /// Waits (bounded: 20 s) until `count` received messages satisfy `matching`, and returns
    /// them all; what arrived by then when they never do (the test's expectations then say
    /// what is missing).
    public func wait(for count: Int, matching: (Message) -> Bool) -> [Message] {
        let deadline = Date().addingTimeInterval(20)
        var found = received().filter(matching)
        while found.count < count && Date() < deadline {
            usleep(20_000)
            found = received().filter(matching)
        }
        return found
    }

    /// Splits one RSYSLOG_SyslogProtocol23Format line into its fields.
    public static func parse(_ line: String) -> Message? {
        guard line.hasPrefix("<"), let close = line.firstIndex(of: ">"), let pri = Int(line[line.index(after: line.startIndex)..<close]) else {
            return nil
        }
        let rest = line[line.index(after: close)...]
        let fields = rest.split(separator: " ", maxSplits: 6, omittingEmptySubsequences: false)
        guard fields.count == 7, fields[0] == "1" else { return nil }
        // The SD runs to the first unescaped `]` not followed by `[`.
        let tail = fields[6]
        var sd = "", text = Substring("")
        if tail.hasPrefix("-") {
            sd = "-"
            text = tail.dropFirst()
        } else {
            var escaped = false, index = tail.startIndex, inValue = false
            while index < tail.endIndex {
                let c = tail[index]
                if escaped {
                    escaped = false
                } else if c == "\\" {
                    escaped = true
                } else if c == "\"" {
                    inValue.toggle()
                } else if c == "]" && !inValue {
                    let next = tail.index(after: index)
                    if next == tail.endIndex || tail[next] != "[" {
                        sd = String(tail[..<next])
                        text = tail[next...]
                        break
                    }
                }
                index = tail.index(after: index)
            }
        }
        if text.hasPrefix(" ") { text = text.dropFirst() }
        return Message(pri: pri, timestamp: String(fields[1]), hostname: String(fields[2]), appName: String(fields[3]),
                       procID: String(fields[4]), msgID: String(fields[5]), structuredData: sd, text: String(text))
    }

    private static func accepts(_ port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
    }
}
