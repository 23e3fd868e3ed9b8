import CAccessShim
import Foundation
import Glibc

/// `vmready connect`: hands this process's terminal (or its piped stdin, stdout and stderr)
/// to the running switch, then only waits. The switch runs the session on those
/// descriptors; this side forwards window-size changes and exits with the session's status.
/// It is what sshd runs for operators (login shell or ForceCommand) and what a getty's
/// login runs on a serial line: authentication stays with them.
public enum ConnectClient {
    /// Runs the client; returns the exit status (the session's, or 1 when the switch
    /// cannot be reached or goes away).
    public static func run(stateDirectory: String, stopOnError: Bool) -> Int32 {
        let path = ControlSocket.path(stateDirectory: stateDirectory)
        let sock = socket(AF_UNIX, Int32(SOCK_SEQPACKET.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard sock >= 0 else { return fail("cannot create a socket: \(ControlSocket.errorText())") }
        let connected = (try? UnixSocketAddress.with(path) { connect(sock, $0, $1) }) ?? -1
        guard connected == 0 else {
            switch errno {
            case ENOENT, ECONNREFUSED:
                return fail("no switch is running on \(stateDirectory) (\(path): \(ControlSocket.errorText()))")
            case EACCES:
                return fail("permission denied on \(path): operators must be in group '\(ControlSocket.operatorGroup)'")
            default:
                return fail("cannot connect to \(path): \(ControlSocket.errorText())")
            }
        }
        // The session decides what Ctrl-C and Ctrl-Z mean; this process must survive them
        // while the terminal is not in the session's raw mode.
        signal(SIGINT, SIG_IGN)
        signal(SIGQUIT, SIG_IGN)
        signal(SIGTSTP, SIG_IGN)
        signal(SIGPIPE, SIG_IGN)
        let winch = vmr_signal_pipe(SIGWINCH)

        let terminal = isatty(STDIN_FILENO) == 1 && isatty(STDOUT_FILENO) == 1
        let env = ProcessInfo.processInfo.environment
        let hello = ConnectHello(terminal: terminal, terminalType: terminal ? env["TERM"] : nil,
                                 from: origin(env), stopOnError: stopOnError)
        let fds: [Int32] = [STDIN_FILENO, STDOUT_FILENO, STDERR_FILENO]
        let sent = hello.encoded.withCString { vmr_send_with_fds(sock, $0, strlen($0), fds, 3) }
        guard sent == 0 else { return fail("cannot hand the terminal to the switch: \(ControlSocket.errorText())") }

        while true {
            var polled = [pollfd(fd: sock, events: Int16(POLLIN), revents: 0)]
            if winch >= 0 { polled.append(pollfd(fd: winch, events: Int16(POLLIN), revents: 0)) }
            if poll(&polled, nfds_t(polled.count), -1) < 0 {
                if errno == EINTR { continue }
                return fail("poll: \(ControlSocket.errorText())")
            }
            if polled.count > 1, polled[1].revents != 0 {
                var drained = [UInt8](repeating: 0, count: 64)
                _ = read(winch, &drained, drained.count)
                var size = winsize()
                if ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0 {
                    let message = "winch \(size.ws_row) \(size.ws_col)"
                    _ = message.withCString { send(sock, $0, strlen($0), Int32(MSG_NOSIGNAL)) }
                }
            }
            if polled[0].revents != 0 {
                var buffer = [UInt8](repeating: 0, count: 512)
                let n = recv(sock, &buffer, buffer.count, 0)
                if n < 0 && errno == EINTR { continue }
                guard n > 0 else { return fail("the switch closed the connection") }
                let text = String(decoding: buffer[0..<n], as: UTF8.self)
                // `refused TEXT`: the switch would not start a session (all vty lines in use).
                if text.hasPrefix("refused ") {
                    FileHandle.standardError.write(Data((ConnectHello.clean(String(text.dropFirst(8))) + "\n").utf8))
                    continue
                }
                let words = text.split(separator: " ")
                if words.count == 2, words[0] == "exit", let status = Int32(words[1]) { return status }
            }
        }
    }

    /// Where the operator is: the SSH client's address, else the terminal's name.
    static func origin(_ env: [String: String]) -> String {
        for key in ["SSH_CLIENT", "SSH_CONNECTION"] {
            if let value = env[key], let address = value.split(separator: " ").first { return String(address) }
        }
        if let name = ttyname(STDIN_FILENO) {
            let path = String(cString: name)
            return path.hasPrefix("/dev/") ? String(path.dropFirst(5)) : path
        }
        return "local"
    }

    private static func fail(_ message: String) -> Int32 {
        FileHandle.standardError.write(Data("vmready: \(message)\n".utf8))
        return 1
    }
}
