import Console
import Dataplane
import Foundation
import Switch

// Every flag error is one line and exit status 2 (cli.md).
let options: VMreadyCommand
do {
    options = try VMreadyCommand.parse()
} catch {
    let code = VMreadyCommand.exitCode(for: error)
    if code == .success {
        print(VMreadyCommand.fullMessage(for: error))
        exit(0)
    }
    let message = VMreadyCommand.message(for: error).split(separator: "\n").first.map(String.init) ?? "invalid arguments"
    FileHandle.standardError.write(Data("vmready: \(message)\n".utf8))
    exit(2)
}

// A reader that went away must not kill the switch.
signal(SIGPIPE, SIG_IGN)

func fail(_ message: String, status: Int32) -> Never {
    FileHandle.standardError.write(Data("vmready: \(message)\n".utf8))
    exit(status)
}

let stateDir = options.resolvedStateDir
do {
    try FileManager.default.createDirectory(atPath: stateDir, withIntermediateDirectories: true)
} catch {
    fail("cannot create state directory \(stateDir): \(error.localizedDescription)", status: 2)
}

// Attachment problems (no such interface, unreadable capture) are flag errors: exit 2.
let sw: VMreadySwitch
do {
    let attachments = (try? options.attachments()) ?? [:]
    sw = try VMreadySwitch(SwitchOptions(portCount: options.ports, attachments: attachments,
                                         captureDirectory: options.captureDirectory, stateDirectory: stateDir))
    try sw.start()
} catch {
    fail("\(error)", status: 2)
}

// Boot: replay the startup-config (the file given, else flash) in global config; failing
// lines go to `show boot-log` and the console gets one line.
if let notice = sw.flashNotice { FileHandle.standardError.write(Data((notice + "\n").utf8)) }
var bootReport: BootReport?
if let path = options.startupConfig {
    guard let data = FileManager.default.contents(atPath: path) else { fail("cannot read \(path)", status: 2) }
    bootReport = sw.replay(String(decoding: data, as: UTF8.self), source: path)
} else if let text = try? sw.flash?.startupConfig() {
    bootReport = sw.replay(text, source: "flash")
}
if let summary = bootReport?.summary { FileHandle.standardError.write(Data((summary + "\n").utf8)) }

let stdout = FileDescriptorOutput(fd: STDOUT_FILENO)
let stderr = FileDescriptorOutput(fd: STDERR_FILENO)
let batchOptions = BatchOptions(stopOnError: options.stopOnError, echo: options.echo)

@MainActor func runBatch(_ next: () -> String?) -> Never {
    do {
        let batch = BatchSession(shell: try sw.shell(kind: .batch), options: batchOptions, stdout: stdout, stderr: stderr)
        let status = batch.run(next)
        sw.stop() // flushes the egress captures
        exit(status)
    } catch {
        fail("\(error)", status: 1)
    }
}

if !options.commands.isEmpty {
    var it = options.commands.makeIterator()
    runBatch { it.next() }
}
if let file = options.batchFile {
    let fd = open(file, O_RDONLY)
    if fd < 0 { fail("cannot read \(file): \(String(cString: strerror(errno)))", status: 2) }
    let reader = FileDescriptorLineReader(fd: fd)
    runBatch { reader.readLine() }
}
if isatty(STDIN_FILENO) == 0 || isatty(STDOUT_FILENO) == 0 {
    let reader = FileDescriptorLineReader(fd: STDIN_FILENO)
    runBatch { reader.readLine() }
}

do {
    let console = TerminalSession(shell: try sw.shell(kind: .terminal), inputFD: STDIN_FILENO,
                                  outputFD: STDOUT_FILENO, historyPath: stateDir + "/history")
    console.run()
    sw.stop()
} catch {
    fail("\(error)", status: 1)
}
