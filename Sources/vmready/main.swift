import Access
import ArgumentParser
import Console
import Dataplane
import Flash
import Foundation
import Frames
import RunningConfig
import Switch
import VMManager

// Every flag error is one line and exit status 2 (cli.md).
func parseOrExit<C: ParsableCommand>(_ command: C.Type, _ arguments: [String]) -> C {
    do {
        return try C.parse(arguments)
    } catch {
        let code = C.exitCode(for: error)
        if code == .success {
            print(C.fullMessage(for: error))
            exit(0)
        }
        let message = C.message(for: error).split(separator: "\n").first.map(String.init) ?? "invalid arguments"
        FileHandle.standardError.write(Data("vmready: \(message)\n".utf8))
        exit(2)
    }
}

// `vmready connect` is a client of a running switch, not a switch.
if CommandLine.arguments.dropFirst().first == "connect" {
    let connect = parseOrExit(ConnectCommand.self, Array(CommandLine.arguments.dropFirst(2)))
    exit(ConnectClient.run(stateDirectory: VMreadyCommand.stateDirectory(connect.stateDir),
                           stopOnError: connect.stopOnError))
}

// `vmready policy` edits the data-centre policy database for operators' scripts.
if CommandLine.arguments.dropFirst().first == "policy" {
    exit(PolicyRunner.run(Array(CommandLine.arguments.dropFirst(2))))
}

let options = parseOrExit(VMreadyCommand.self, Array(CommandLine.arguments.dropFirst()))

// A reader that went away must not kill the switch.
signal(SIGPIPE, SIG_IGN)

func fail(_ message: String, status: Int32) -> Never {
    FileHandle.standardError.write(Data("vmready: \(message)\n".utf8))
    exit(status)
}

let stateDir = options.resolvedStateDir
// Created private (0700, or 0750 for group vmready). A directory that cannot be created
// or written does not stop the switch: it comes up without flash and says so below.
do {
    try StateDirectory.prepare(stateDir)
} catch {
    FileHandle.standardError.write(Data("vmready: \(error.description.dropFirst("flash: ".count))\n".utf8))
}
StateDirectory.restrictOwnedFiles(in: stateDir)

// Headless, the main thread takes SIGTERM and SIGINT with sigwait: blocked here, before any
// thread starts, so that no other thread (which inherits the mask) takes them instead.
var stopSignals = sigset_t()
sigemptyset(&stopSignals)
sigaddset(&stopSignals, SIGTERM)
sigaddset(&stopSignals, SIGINT)
if options.console == .none { pthread_sigmask(SIG_BLOCK, &stopSignals, nil) }

// Every switch owns its state directory through the control socket: a second switch on it
// is refused, a socket left by a killed one is replaced. A directory nobody can write
// (read-only) holds no socket, and no second switch can change anything in it either: the
// switch comes up without connected sessions.
let controlSocket: ControlSocket?
if access(stateDir, W_OK) != 0 {
    FileHandle.standardError.write(Data(
        "vmready: \(stateDir) cannot be written (\(String(cString: strerror(errno)))): no control socket, no connected sessions\n".utf8))
    controlSocket = nil
} else {
    do {
        controlSocket = try ControlSocket(stateDirectory: stateDir)
    } catch {
        fail(error.description, status: 2)
    }
}

/// A start-up failure after the control socket exists: the socket goes first, so no
/// stale one is left for the next start to trip over.
func failStarting(_ message: String) -> Never {
    controlSocket?.close()
    fail(message, status: 2)
}

// Attachment problems (no such interface, unreadable capture) are flag errors: exit 2.
let sw: VMreadySwitch
do {
    let attachments = (try? options.attachments()) ?? [:]
    var switchOptions = SwitchOptions(portCount: options.ports, attachments: attachments,
                                      captureDirectory: options.captureDirectory, stateDirectory: stateDir)
    switchOptions.systemMAC = options.systemMAC.flatMap { MACAddress($0) }
    switchOptions.xdpFastPath = options.xdpFastPath == .on
    // `virt vmmanager` connects to libvirt for real.
    switchOptions.vmManagerConnector = VMManagerClient.connector
    sw = try VMreadySwitch(switchOptions)
} catch {
    failStarting("\(error)")
}

// Boot: replay the startup-config (the file given, else flash) in global config; failing
// lines go to `show boot-log` and the console gets one line.
if let notice = sw.flashNotice { FileHandle.standardError.write(Data((notice + "\n").utf8)) }
for notice in sw.dataplane.attachmentNotices { FileHandle.standardError.write(Data("vmready: warning: \(notice)\n".utf8)) }
var bootReport: BootReport?
// A directory or an unreadable startup-config is a flag error with the reason.
do { bootReport = try sw.boot(startupConfigFile: options.startupConfig) } catch { failStarting("\(error)") }
if let summary = bootReport?.summary { FileHandle.standardError.write(Data((summary + "\n").utf8)) }

// Forwarding starts on the booted configuration: attached captures replay now, so VMready,
// its groups and the VLANs are in place for their first frame.
// A damaged record in a capture (a truncated tail) is a warning, not a start error: the
// frames before it were replayed, and the warning is also in `show logging`.
do {
    for warning in try sw.start() { FileHandle.standardError.write(Data("vmready: warning: \(warning)\n".utf8)) }
} catch {
    failStarting("\(error)")
}

// Connected sessions (`vmready connect`) from here on, whatever runs below.
let accessServer = controlSocket.map { AccessServer(switch: sw, socket: $0) }
accessServer?.start()

/// Ends connected sessions, stops forwarding (flushing captures) and exits.
func shutDown(_ status: Int32) -> Never {
    accessServer?.stop()
    sw.stop()
    exit(status)
}

if options.console == .none {
    if let controlSocket {
        FileHandle.standardError.write(Data("vmready: running without a console; operators connect through \(controlSocket.path)\n".utf8))
    }
    var received: Int32 = 0
    while sigwait(&stopSignals, &received) != 0 {}
    sw.eventLog.log(.notice, "system", "stopping on signal \(received)")
    shutDown(0)
}

let stdout = FileDescriptorOutput(fd: STDOUT_FILENO)
let stderr = FileDescriptorOutput(fd: STDERR_FILENO)
let batchOptions = BatchOptions(stopOnError: options.stopOnError, echo: options.echo)

/// A batch file's lines (the reader takes CRLF endings off), line 1 without the UTF-8
/// byte-order mark an editor may have put in front of it.
func firstLineWithoutMark(_ reader: FileDescriptorLineReader) -> () -> String? {
    var first = true
    return {
        defer { first = false }
        return reader.readLine().map { first ? ConfigFileText.firstLine($0) : $0 }
    }
}

@MainActor func runBatch(_ next: () -> String?) -> Never {
    do {
        let batch = BatchSession(shell: try sw.shell(kind: .batch), options: batchOptions, stdout: stdout, stderr: stderr)
        shutDown(batch.run(next)) // stopping flushes the egress captures
    } catch {
        fail("\(error)", status: 1)
    }
}

if !options.commands.isEmpty {
    var it = options.commands.makeIterator()
    runBatch { it.next() }
}
if let file = options.batchFile {
    let fd: Int32
    switch InputFiles.open(file) {
    case .success(let opened): fd = opened
    case .failure(let error): fail(error.description, status: 2)
    }
    runBatch(firstLineWithoutMark(FileDescriptorLineReader(fd: fd)))
}
if isatty(STDIN_FILENO) == 0 || isatty(STDOUT_FILENO) == 0 {
    runBatch(firstLineWithoutMark(FileDescriptorLineReader(fd: STDIN_FILENO)))
}

do {
    let shell = try sw.shell(kind: .terminal)
    // The local console is line con 0 in `show users`; it never times out (ending it stops
    // the switch).
    let tty = ttyname(STDIN_FILENO).map { String(cString: $0) } ?? "console"
    shell.session.line = sw.lines.addConsole(user: LocalUser.name,
                                             from: tty.hasPrefix("/dev/") ? String(tty.dropFirst(5)) : tty)
    let console = TerminalSession(shell: shell, inputFD: STDIN_FILENO, outputFD: STDOUT_FILENO,
                                  historyPath: stateDir + "/history")
    console.run()
    shutDown(0)
} catch {
    fail("\(error)", status: 1)
}
