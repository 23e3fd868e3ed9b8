import CAccessShim
import Console
import Foundation
import Glibc
import Switch
import Synchronization

/// Serves the control socket: each `vmready connect` becomes a session on its own thread,
/// on a vty line, on the descriptors the client handed over. The session starts in user
/// exec; it ends on `exit`, `clear line`, the idle limit, or when its terminal or client
/// goes away, and then its thread ends and its line is freed.
///
/// Until its hello arrives a connection costs no thread: the accept thread holds it
/// (HandshakeQueue), closes it when no hello came within `helloTimeout`, and refuses new
/// connections at once while `maximumPending` are waiting, so that a flood of connections
/// that never say anything cannot exhaust threads or descriptors.
public final class AccessServer: Sendable {
    /// How long a connection may take to send its hello; `vmready connect` sends it at once.
    public static let helloTimeout: Duration = .seconds(5)
    /// Connections waiting for their hello at most; past it new ones are closed at once.
    public static let maximumPending = 64
    /// Sessions (vty lines) at once, each a thread: past it a client that said hello is
    /// told so and exits 1, so that connections that did say hello cannot exhaust threads
    /// either.
    public static let maximumSessions = 32

    private let sw: VMreadySwitch
    private let socket: ControlSocket
    private let stopping = Atomic<Bool>(false)
    private let sessions = DispatchGroup()
    /// Session threads started and not yet ended.
    private let running = Atomic<Int>(0)
    /// Written by `stop()` to wake the accept thread out of its poll.
    private let wakeRead: Int32
    private let wakeWrite: Int32

    public init(switch sw: VMreadySwitch, socket: ControlSocket) {
        self.sw = sw
        self.socket = socket
        (wakeRead, wakeWrite) = WakePipe.open()
    }

    deinit {
        close(wakeRead)
        close(wakeWrite)
    }

    /// Starts accepting connections on a thread of its own.
    public func start() {
        sessions.enter()
        Thread.detachNewThread { [self] in
            Self.nameThread("access")
            acceptLoop()
            sessions.leave()
        }
    }

    /// Ends every connected session (their terminals are told why), waits a moment for
    /// them, and removes the socket.
    public func stop() {
        guard !stopping.exchange(true, ordering: .sequentiallyConsistent) else { return }
        var one: UInt8 = 1
        _ = write(wakeWrite, &one, 1)
        shutdown(socket.listenFD, Int32(SHUT_RDWR))
        for line in sw.lines.all where line.kind == .vty { line.requestEnd(.shutdown) }
        _ = sessions.wait(timeout: .now() + 3)
        socket.close()
    }

    private func acceptLoop() {
        let listenFD = socket.listenFD
        _ = fcntl(listenFD, F_SETFL, fcntl(listenFD, F_GETFL) | O_NONBLOCK)
        var queue = HandshakeQueue()
        defer { queue.closeAll() }
        var floodsHeld = false
        while !stopping.load(ordering: .sequentiallyConsistent) {
            var fds = [pollfd(fd: listenFD, events: Int16(POLLIN), revents: 0),
                       pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0)]
            fds += queue.waiting.map { pollfd(fd: $0.fd, events: Int16(POLLIN), revents: 0) }
            // Held flood counts (from sessions too: refused `enable`s) reach the log within
            // an interval even when nothing else happens.
            var timeout = queue.millisecondsToNextDeadline()
            let flushEvery: Int32 = floodsHeld ? 1000 : 10_000
            timeout = timeout < 0 ? flushEvery : min(timeout, flushEvery)
            if poll(&fds, nfds_t(fds.count), timeout) < 0 && errno != EINTR { break }

            // Hellos (or hang-ups) first, in reverse so that removals keep indices valid.
            for index in queue.waiting.indices.reversed() where fds[index + 2].revents != 0 {
                if takeHello(queue.waiting[index]) { queue.waiting.remove(at: index) }
            }
            for expired in queue.removeExpired() {
                sw.repeatedEvents.log(.warning, "access", kind: "connections closed without a hello",
                                      "connection from \(expired.peer) closed: no hello within "
                                      + "\(RepeatedEvents.seconds(Self.helloTimeout)) s")
                close(expired.fd)
            }
            if fds[0].revents != 0 { acceptWaiting(into: &queue) }
            floodsHeld = sw.repeatedEvents.flush()
        }
    }

    /// Accepts every connection the kernel holds: each waits for its hello, or is closed
    /// at once when too many already wait.
    private func acceptWaiting(into queue: inout HandshakeQueue) {
        while true {
            let fd = accept(socket.listenFD, nil, nil)
            if fd < 0 {
                if errno == EINTR || errno == ECONNABORTED { continue }
                if errno == EMFILE || errno == ENFILE {
                    usleep(100_000) // out of descriptors: wait for sessions to end
                }
                return // EAGAIN: none left
            }
            var uid: uid_t = 0
            var pid: pid_t = 0
            guard vmr_peer_credentials(fd, &uid, &pid) == 0 else {
                close(fd)
                continue
            }
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
            let connection = PendingConnection(fd: fd, uid: uid, pid: pid,
                                               deadline: .now + Self.helloTimeout)
            guard queue.waiting.count < Self.maximumPending else {
                sw.repeatedEvents.log(.warning, "access", kind: "connections refused: too many waiting for a hello",
                                      "connection from \(connection.peer) refused: \(Self.maximumPending) "
                                      + "connections are already waiting for their hello")
                close(fd)
                continue
            }
            queue.waiting.append(connection)
        }
    }

    /// Reads the hello of a connection that has something to say: a session thread for a
    /// hello with its three descriptors, the connection closed for anything else.
    /// - Returns: false when there was nothing to read after all (it keeps waiting).
    private func takeHello(_ connection: PendingConnection) -> Bool {
        var fds: [Int32] = [-1, -1, -1]
        var count: Int32 = 0
        var buffer = [UInt8](repeating: 0, count: 4096)
        let n = vmr_recv_with_fds(connection.fd, &buffer, buffer.count, &fds, 3, &count, Int32(MSG_DONTWAIT))
        if n < 0 && (errno == EAGAIN || errno == EINTR) { return false }
        guard n > 0, count == 3,
              let hello = ConnectHello(decoding: String(decoding: buffer[0..<n], as: UTF8.self)) else {
            for fd in fds.prefix(Int(count)) { close(fd) }
            if n > 0 { // a client that closes without a word is no attack, and says nothing
                sw.repeatedEvents.log(.warning, "access", kind: "connections closed: not a vmready connect hello",
                                      "connection from \(connection.peer) closed: not a vmready connect hello")
            }
            close(connection.fd)
            return true
        }
        guard running.load(ordering: .sequentiallyConsistent) < Self.maximumSessions else {
            refuse(connection, descriptors: fds)
            return true
        }
        let handed = fds
        running.add(1, ordering: .sequentiallyConsistent)
        sessions.enter()
        Thread.detachNewThread { [self] in
            serve(connection, hello: hello, fds: handed)
            running.subtract(1, ordering: .sequentiallyConsistent)
            sessions.leave()
        }
        return true
    }

    /// No vty line is free: the client is told on its socket (never through its own
    /// descriptors, which could block this thread) and exits 1.
    private func refuse(_ connection: PendingConnection, descriptors: [Int32]) {
        for fd in descriptors { close(fd) }
        sw.repeatedEvents.log(.warning, "access", kind: "connections refused: all vty lines in use",
                              "connection from \(connection.peer) refused: all \(Self.maximumSessions) vty lines are in use")
        for message in ["refused % All \(Self.maximumSessions) vty lines are in use; try again later", "exit 1"] {
            _ = message.withCString { send(connection.fd, $0, strlen($0), Int32(MSG_NOSIGNAL | MSG_DONTWAIT)) }
        }
        close(connection.fd)
    }

    /// One connection that said hello, to its exit status.
    private func serve(_ connection: PendingConnection, hello: ConnectHello, fds: [Int32]) {
        let control = connection.fd
        defer { close(control) }
        var open = fds
        defer { for fd in open { close(fd) } }
        let user = LocalUser.name(of: connection.uid)

        let line = sw.lines.addVTY(user: user, uid: connection.uid, from: hello.from) { [sw] in sw.execTimeout }
        defer { sw.lines.remove(line) }
        Self.nameThread(line.name)
        sw.eventLog.log(.notice, "access", "\(line.label) logged in from \(hello.from) (user exec)")

        let (status, end) = runSession(on: line, hello: hello, fds: fds, control: control)
        sw.eventLog.log(.notice, "access", "\(line.label) logged out" + (Self.why(end).map { " (\($0))" } ?? ""))
        // The client's descriptors close before it hears the status: sshd drains a pty until
        // every copy of it is closed, and a pipe reader waits for every writer.
        for fd in open { close(fd) }
        open = []
        let message = "exit \(status)"
        _ = message.withCString { send(control, $0, strlen($0), Int32(MSG_NOSIGNAL)) }
    }

    private func runSession(on line: SessionLine, hello: ConnectHello, fds: [Int32],
                            control: Int32) -> (Int32, SessionEnd?) {
        let shell: Shell
        do {
            shell = try sw.shell(kind: hello.terminal ? .terminal : .batch, privileged: false)
        } catch {
            let err = FileDescriptorOutput(fd: fds[2])
            err.write("% \(error)\n")
            err.flush()
            return (1, nil)
        }
        shell.session.name = line.label
        shell.session.line = line
        if hello.terminal {
            let terminal = TerminalSession(shell: shell, inputFD: fds[0], outputFD: fds[1], historyPath: nil,
                                           terminalType: hello.terminalType, controlFD: control)
            terminal.run()
            let end = terminal.ended
            return (end == nil || end == .hangup || end == .endOfInput ? 0 : 1, end)
        }
        let input = SessionInput(fd: fds[0], control: control, line: line)
        let reader = FileDescriptorLineReader(input: input)
        let err = FileDescriptorOutput(fd: fds[2])
        let batch = BatchSession(shell: shell, options: BatchOptions(stopOnError: hello.stopOnError),
                                 stdout: FileDescriptorOutput(fd: fds[1]), stderr: err)
        // Lines already read ahead are not run once the line is cleared (its own `clear line`).
        var status = batch.run { input.isOpen() ? reader.readLine() : nil }
        if let message = input.ended?.message {
            err.write(message + "\n")
            err.flush()
            status = 1
        }
        return (status, input.ended)
    }

    private static func why(_ end: SessionEnd?) -> String? {
        switch end {
        case nil, .endOfInput: nil
        case .hangup: "connection lost"
        case .timedOut: "idle timeout"
        case .cleared(let by): "cleared by \(by)"
        case .shutdown: "switch stopping"
        }
    }

    /// Names the thread (`vty 3`), so `top -H` and /proc show which session it runs.
    static func nameThread(_ name: String) {
        vmr_name_thread(String(name.prefix(15)))
    }
}
