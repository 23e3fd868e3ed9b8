import Foundation
import Testing

/// Connections that never send their `vmready connect` hello: the accept thread holds them
/// without a thread each, closes them after the hello timeout, and while 64 wait refuses
/// more at once. Every case is logged, a flood as one line per interval.
@Suite struct HandshakeLimitTests {
    /// A raw connection to the control socket that says nothing.
    static func silentConnection(_ path: String) -> Int32 {
        let fd = socket(AF_UNIX, Int32(SOCK_SEQPACKET.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            let bytes = Array(path.utf8)
            raw.copyBytes(from: bytes)
            raw[bytes.count] = 0
        }
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        #expect(connected == 0, "connect: \(String(cString: strerror(errno)))")
        return fd
    }

    /// True once the switch has closed `fd` (end of stream), within `seconds`.
    static func closedBySwitch(_ fd: Int32, within seconds: Int32) -> Bool {
        var polled = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        guard poll(&polled, 1, seconds * 1000) == 1 else { return false }
        var byte: UInt8 = 0
        return recv(fd, &byte, 1, Int32(MSG_DONTWAIT)) == 0
    }

    @Test func silentConnectionsAreBoundedHeldWithoutThreadsAndClosed() throws {
        let sw = try HeadlessSwitch()
        let threadsBefore = sw.threadNames().count
        let silent = (0..<64).map { _ in Self.silentConnection(sw.socketPath) }
        defer { for fd in silent { close(fd) } }
        // The 65th is refused at once: the switch closes it while the 64 still wait.
        let extra = Self.silentConnection(sw.socketPath)
        defer { close(extra) }
        #expect(Self.closedBySwitch(extra, within: 4), "the 65th connection was not refused")
        var first = pollfd(fd: silent[0], events: Int16(POLLIN), revents: 0)
        #expect(poll(&first, 1, 0) == 0, "the waiting connections were closed too soon")
        // Waiting connections cost no thread each.
        #expect(sw.threadNames().count < threadsBefore + 8, "\(threadsBefore) threads before, now \(sw.threadNames())")

        // Without a hello each is closed after the timeout (5 s).
        #expect(silent.allSatisfy { Self.closedBySwitch($0, within: 20) })
        let log = try sw.connect(["enable", "show logging"])
        #expect(log.status == 0, "a real client is served again: \(log.stderr)")
        let me = "uid \(getuid()) (pid \(getpid()))"
        #expect(log.stdout.contains("connection from \(me) refused: 64 connections are already waiting for their hello"),
                "\(log.stdout)")
        #expect(log.stdout.contains("connection from \(me) closed: no hello within 5 s"), "\(log.stdout)")
        let closings = log.stdout.split(separator: "\n").filter { $0.contains("no hello within") }
        #expect(closings.count == 1, "one line for the flood, not 64: \(closings)")
    }

    @Test func aConnectionThatIsNoHelloIsClosedAndLogged() throws {
        let sw = try HeadlessSwitch()
        let fd = Self.silentConnection(sw.socketPath)
        defer { close(fd) }
        _ = "GET / HTTP/1.0\r\n".withCString { send(fd, $0, strlen($0), Int32(MSG_NOSIGNAL)) }
        #expect(Self.closedBySwitch(fd, within: 10), "a connection that is no hello is closed")
        let log = try sw.connect(["enable", "show logging"]).stdout
        #expect(log.contains("connection from uid \(getuid()) (pid \(getpid())) closed: not a vmready connect hello"),
                "\(log)")
    }

    @Test func sessionsPastTheLastVtyLineAreRefusedAndTold() throws {
        let sw = try HeadlessSwitch()
        var open: [HeadlessSwitch.OpenBatch] = []
        for _ in 0..<32 {
            let batch = try HeadlessSwitch.OpenBatch(stateDir: sw.stateDir, scratch: sw.directory)
            batch.send(["show version"])
            open.append(batch)
        }
        #expect(HeadlessSwitch.eventually(30) { open.allSatisfy { $0.stdout.contains("VMready switch operating system") } },
                "the 32 sessions did not all start")
        let refused = try sw.connect(["show version"])
        #expect(refused.status == 1)
        #expect(refused.stderr == "% All 32 vty lines are in use; try again later\n", "\(refused.stderr)")
        #expect(!refused.stdout.contains("VMready"))

        // A line freed is a line to use again; the refusal was logged.
        let first = open.removeFirst()
        #expect(first.finish(["enable", "show logging"]).stdout.contains("refused: all 32 vty lines are in use"))
        #expect(try HeadlessSwitch.eventually { try sw.connect(["show version"]).status == 0 })
        for batch in open { _ = batch.finish([]) }
    }
}
