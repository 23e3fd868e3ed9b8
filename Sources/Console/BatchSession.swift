import CommandEngine

/// Options of a batch session (automation: piped stdin, `--batch FILE`, `-c CMD`).
public struct BatchOptions: Sendable {
    /// Stop at the first line that fails.
    public var stopOnError = false
    /// Print each line after its prompt and errors inline, as a terminal shows them
    /// (used by golden transcripts); otherwise errors go to stderr as `line N: ...`.
    public var echo = false

    public init(stopOnError: Bool = false, echo: Bool = false) {
        self.stopOnError = stopOnError
        self.echo = echo
    }
}

/// Runs lines one after another with no terminal: output to stdout, errors to stderr with
/// their line number, exit status 0 only when every line succeeded. Never pages, never waits
/// for a terminal. A trailing `?` prints help, as vtysh does.
public final class BatchSession {
    public let shell: Shell
    private let options: BatchOptions
    private let out: FileDescriptorOutput
    private let err: FileDescriptorOutput
    public private(set) var failures = 0

    public init(shell: Shell, options: BatchOptions, stdout: FileDescriptorOutput, stderr: FileDescriptorOutput) {
        self.shell = shell
        self.options = options
        out = stdout
        err = stderr
    }

    /// Runs every line `next` yields; returns the exit status (0 or 1).
    public func run(_ next: () -> String?) -> Int32 {
        withoutActuallyEscaping(next) { next in
            var number = 0
            // `enable` with a secret set reads it from the next line, which is neither run
            // nor echoed.
            shell.session.passwordReader = { _ in
                number += 1
                return next()
            }
            defer { shell.session.passwordReader = nil }
            while !shell.session.isClosed, let line = next() {
                number += 1
                if !runLine(line, number: number) && options.stopOnError { break }
            }
        }
        out.flush()
        err.flush()
        return failures == 0 ? 0 : 1
    }

    public func run(lines: [String]) -> Int32 {
        var iterator = lines.makeIterator()
        return run { iterator.next() }
    }

    /// Runs one line; false when it failed.
    @discardableResult
    public func runLine(_ line: String, number: Int) -> Bool {
        let prompt = shell.prompt
        // Echoed lines show control characters by name: the engine refuses them, and they
        // would otherwise act on the reader's terminal.
        let shown = ControlCharacters.visible(line)
        if options.echo { out.write(prompt + shown + "\n") }
        var output: [String]
        var error: LineError?
        if let stripped = Self.helpRequest(line) {
            (output, error) = shell.help(stripped)
        } else {
            let o = shell.run(line)
            (output, error) = (o.output, o.error)
        }
        out.writeLines(output)
        if let error {
            failures += 1
            if options.echo {
                out.writeLines(error.lines(indent: prompt.count))
            } else {
                let prefix = "line \(number): "
                err.write(prefix + shown + "\n")
                err.writeLines(error.lines(indent: prefix.count))
            }
        }
        out.flush()
        err.flush()
        return error == nil
    }

    /// The line without its trailing `?` when the line asks for help; nil otherwise.
    /// A `?` inside quotes is text, not a help request.
    static func helpRequest(_ line: String) -> String? {
        var trimmed = Substring(line)
        while let l = trimmed.last, l == " " || l == "\t" { trimmed = trimmed.dropLast() }
        guard trimmed.last == "?" else { return nil }
        let body = trimmed.dropLast()
        guard body.filter({ $0 == "\"" }).count % 2 == 0 else { return nil }
        return String(body)
    }
}
