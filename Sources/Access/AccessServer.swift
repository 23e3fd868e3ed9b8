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
public final class AccessServer: Sendable {
    private let sw: VMreadySwitch
    private let socket: ControlSocket
    private let stopping = Atomic<Bool>(false)
    private let sessions = DispatchGroup()

    public init(switch sw: VMreadySwitch, socket: ControlSocket) {
        self.sw = sw
        self.socket = socket
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
        shutdown(socket.listenFD, Int32(SHUT_RDWR)) // wakes the accept loop
        for line in sw.lines.all where line.kind == .vty { line.requestEnd(.shutdown) }
        _ = sessions.wait(timeout: .now() + 3)
        socket.close()
    }

    private func acceptLoop() {
        while !stopping.load(ordering: .sequentiallyConsistent) {
            let fd = accept(socket.listenFD, nil, nil)
            if fd < 0 {
                if errno == EINTR || errno == ECONNABORTED { continue }
                if errno == EMFILE || errno == ENFILE {
                    usleep(100_000) // out of descriptors: wait for sessions to end
                    continue
                }
                break
            }
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
            sessions.enter()
            Thread.detachNewThread { [self] in
                serve(fd)
                sessions.leave()
            }
        }
    }

    /// One connection, from the hello to the exit status.
    private func serve(_ control: Int32) {
        defer { close(control) }
        // A client that connects and says nothing does not hold a thread for long.
        setReceiveTimeout(control, seconds: 10)
        var fds: [Int32] = [-1, -1, -1]
        var count: Int32 = 0
        var buffer = [UInt8](repeating: 0, count: 4096)
        let n = vmr_recv_with_fds(control, &buffer, buffer.count, &fds, 3, &count)
        defer { for fd in fds.prefix(Int(count)) { close(fd) } }
        guard n > 0, count == 3, let hello = ConnectHello(decoding: String(decoding: buffer[0..<n], as: UTF8.self)) else {
            return
        }
        setReceiveTimeout(control, seconds: 0)
        var uid: uid_t = 0
        var pid: pid_t = 0
        guard vmr_peer_credentials(control, &uid, &pid) == 0 else { return }
        let user = Self.userName(uid)

        let line = sw.lines.addVTY(user: user, from: hello.from) { [sw] in sw.execTimeout }
        defer { sw.lines.remove(line) }
        Self.nameThread(line.name)
        sw.eventLog.log(.notice, "access", "\(line.label) logged in from \(hello.from) (user exec)")

        let (status, end) = runSession(on: line, hello: hello, fds: fds, control: control)
        sw.eventLog.log(.notice, "access", "\(line.label) logged out" + (Self.why(end).map { " (\($0))" } ?? ""))
        // The client's descriptors close before it hears the status: sshd drains a pty until
        // every copy of it is closed, and a pipe reader waits for every writer.
        for fd in fds { close(fd) }
        count = 0
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
            return (end == nil || end == .hangup ? 0 : 1, end)
        }
        let input = SessionInput(fd: fds[0], control: control, line: line)
        let reader = FileDescriptorLineReader(input: input)
        let err = FileDescriptorOutput(fd: fds[2])
        let batch = BatchSession(shell: shell, options: BatchOptions(stopOnError: hello.stopOnError),
                                 stdout: FileDescriptorOutput(fd: fds[1]), stderr: err)
        var status = batch.run { reader.readLine() }
        if let message = input.ended?.message {
            err.write(message + "\n")
            err.flush()
            status = 1
        }
        return (status, input.ended)
    }

    private static func why(_ end: SessionEnd?) -> String? {
        switch end {
        case nil: nil
        case .hangup: "connection lost"
        case .timedOut: "idle timeout"
        case .cleared(let by): "cleared by \(by)"
        case .shutdown: "switch stopping"
        }
    }

    private func setReceiveTimeout(_ fd: Int32, seconds: Int) {
        var tv = timeval(tv_sec: seconds, tv_usec: 0)
        _ = setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
    }

    /// The login name of `uid`, as the kernel vouches for it; `uid N` without a passwd entry.
    static func userName(_ uid: uid_t) -> String {
        var entry = passwd()
        var result: UnsafeMutablePointer<passwd>?
        var buffer = [CChar](repeating: 0, count: 16384)
        guard getpwuid_r(uid, &entry, &buffer, buffer.count, &result) == 0, result != nil,
              let name = entry.pw_name else { return "uid \(uid)" }
        return String(cString: name)
    }

    /// Names the thread (`vty 3`), so `top -H` and /proc show which session it runs.
    static func nameThread(_ name: String) {
        vmr_name_thread(String(name.prefix(15)))
    }
}
