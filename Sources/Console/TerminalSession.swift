import CEditLine
import CLineShim
import CommandEngine
import Glibc

/// An interactive console on any terminal descriptor pair (the process's own terminal, a
/// pty handed over by `vmready connect`, a serial line), line-edited by libedit. Several can
/// run at once, each on its own thread with its own mode and history.
public final class TerminalSession {
    public let shell: Shell
    private let input: SessionInput
    private let out: FileDescriptorOutput
    private let historyPath: String?
    private let terminalType: String?
    private var editLine: OpaquePointer?
    private var history: OpaquePointer?
    private var inFile: UnsafeMutablePointer<FILE>?
    private var outFile: UnsafeMutablePointer<FILE>?
    private var promptBuffer: UnsafeMutablePointer<CChar>?
    // Set by the key functions, read when el_gets returns the line.
    private var abandonLine = false
    private var endRequested = false

    /// `terminalType`: the terminal's `TERM` when it is not the process's own (a connected
    /// client's); `controlFD`: the socket of the `vmready connect` client the terminal came from.
    public init(shell: Shell, inputFD: Int32, outputFD: Int32, historyPath: String?,
                terminalType: String? = nil, controlFD: Int32? = nil) {
        self.shell = shell
        input = SessionInput(fd: inputFD, control: controlFD, line: shell.session.line)
        out = FileDescriptorOutput(fd: outputFD)
        self.historyPath = historyPath
        self.terminalType = terminalType
    }

    /// Why the session ended, when it was not the operator's `exit` or `logout`.
    public var ended: SessionEnd? { input.ended }

    deinit {
        if let editLine { vmr_el_end(editLine) }
        if let history { vmr_history_end(history) }
        if let inFile { fclose(inFile) }
        if let outFile { fclose(outFile) }
        free(promptBuffer)
    }

    /// Runs the session until `exit`, `logout`, Ctrl-D at exec level, or the terminal closes.
    public func run() {
        let input = input, output = out
        shell.session.passwordReader = { prompt in PasswordPrompt.read(prompt, input: input, out: output) }
        shell.session.confirmer = { question in
            output.write(question)
            output.flush()
            let key = Pager.readKey(input)
            output.write("\n")
            output.flush()
            return key == UInt8(ascii: "\r") || key == UInt8(ascii: "\n") || key == UInt8(ascii: "y") || key == UInt8(ascii: "Y")
        }
        guard setUp() else {
            out.write("% Cannot start line editing on this terminal\n")
            out.flush()
            return
        }
        while !shell.session.isClosed {
            updatePrompt()
            var count: Int32 = 0
            let raw = el_gets(editLine, &count)
            if count < 0 || input.ended != nil { break } // the terminal went away, or the line ends
            // Checked before the NULL case: on an empty line el_gets returns NULL for
            // Ctrl-C and Ctrl-Z exactly as for Ctrl-D.
            if abandonLine || endRequested {
                if endRequested { shell.session.endConfig() }
                abandonLine = false
                endRequested = false
                continue
            }
            guard let raw else {
                // Ctrl-D on an empty line: `exit`.
                out.write("\n")
                out.flush()
                shell.session.exitMode()
                continue
            }
            var line = String(cString: raw)
            if line.hasSuffix("\n") { line.removeLast() }
            execute(line)
        }
        if let message = input.ended?.message { out.write("\n" + message + "\n") }
        out.flush()
    }

    private func setUp() -> Bool {
        guard let el = vmr_el_init("vmready", input.fd, out.fd, &inFile, &outFile) else { return false }
        editLine = el
        _ = vmr_el_set_clientdata(el, Unmanaged.passUnretained(self).toOpaque())
        if let terminalType { _ = vmr_el_set_terminal(el, terminalType) }
        // Keys come through the session's input, which also watches for `clear line`, the
        // idle limit and the connecting client.
        _ = vmr_el_set_byte_reader(el) { el in
            guard let me = TerminalSession.from(el), let byte = me.input.readByte() else { return -1 }
            return Int32(byte)
        }
        input.onResize = { _, _ in vmr_el_resize(el) }
        _ = vmr_el_set_editor(el, "emacs")
        _ = vmr_el_signal_handling(el, 0)
        _ = vmr_el_raw_signals(el)
        _ = vmr_el_set_prompt(el) { el in
            guard let me = TerminalSession.from(el) else { return nil }
            return me.promptBuffer
        }
        _ = vmr_el_add_function(el, "vmready-help", "Complete or describe the command") { el, ch in
            TerminalSession.from(el)?.helpKey(ch) ?? UInt8(CC_ERROR)
        }
        _ = vmr_el_add_function(el, "vmready-abandon", "Abandon the line") { el, _ in
            guard let me = TerminalSession.from(el) else { return UInt8(CC_ERROR) }
            me.abandonLine = true
            me.finishLine(mark: "^C")
            return UInt8(CC_NEWLINE)
        }
        _ = vmr_el_add_function(el, "vmready-end", "Return to privileged exec") { el, _ in
            guard let me = TerminalSession.from(el) else { return UInt8(CC_ERROR) }
            me.endRequested = true
            me.finishLine(mark: "^Z")
            return UInt8(CC_NEWLINE)
        }
        _ = vmr_el_bind(el, "\t", "vmready-help")
        _ = vmr_el_bind(el, "?", "vmready-help")
        _ = vmr_el_bind(el, "^C", "vmready-abandon")
        _ = vmr_el_bind(el, "^Z", "vmready-end")
        history = vmr_history_init(500)
        if let h = history {
            if let path = historyPath { _ = vmr_history_load(h, path) }
            _ = vmr_el_set_history(el, h)
        }
        return true
    }

    /// Ends the displayed line for a key that returns CC_NEWLINE itself: libedit's own
    /// newline key moves past the rest of the line and prints the newline, a bound
    /// function must do both, or the next prompt lands on this line.
    private func finishLine(mark: String) {
        if let el = editLine, let info = el_line(el)?.pointee {
            let rest = UnsafeRawBufferPointer(start: info.cursor, count: info.lastchar - info.cursor)
            out.write(String(decoding: rest, as: UTF8.self))
        }
        out.write(mark + "\n")
        out.flush()
    }

    private static func from(_ el: OpaquePointer?) -> TerminalSession? {
        guard let el, let data = vmr_el_get_clientdata(el) else { return nil }
        return Unmanaged<TerminalSession>.fromOpaque(data).takeUnretainedValue()
    }

    private func updatePrompt() {
        free(promptBuffer)
        promptBuffer = strdup(shell.prompt)
    }

    private func execute(_ line: String) {
        let prompt = shell.prompt
        let outcome = shell.run(line)
        if !line.allSatisfy(\.isWhitespace), let h = history {
            _ = vmr_history_enter(h, outcome.historyLine ?? line)
            if let path = historyPath { _ = vmr_history_save(h, path) }
        }
        var lines = outcome.output
        if let e = outcome.error { lines += e.lines(indent: prompt.count) }
        Pager(input: input, out: out).show(lines, pageLines: pageLines())
    }

    /// Lines per page: `terminal length`, else the window height less the `--More--` line.
    private func pageLines() -> Int {
        if let n = shell.session.terminalLength { return n == 0 ? 0 : max(n - 1, 1) }
        var rows: Int32 = 0, cols: Int32 = 0
        vmr_tty_size(out.fd, &rows, &cols)
        return rows > 1 ? Int(rows) - 1 : 0
    }

    // MARK: TAB and ?

    /// One key function for both TAB and `?` (as libecoli binds it): complete or describe
    /// the text before the cursor, print if needed, and have libedit redraw the line.
    private func helpKey(_ ch: Int32) -> UInt8 {
        guard let el = editLine, let info = el_line(el)?.pointee else { return UInt8(CC_ERROR) }
        let before = String(decoding: UnsafeRawBufferPointer(start: info.buffer,
                                                              count: info.cursor - info.buffer),
                            as: UTF8.self)
        if ch == Int32(UInt8(ascii: "?")) {
            // Inside a quoted string `?` is just a character.
            if before.filter({ $0 == "\"" }).count % 2 == 1 {
                _ = el_insertstr(el, "?")
                return UInt8(CC_REFRESH)
            }
            let (lines, error) = shell.help(before)
            out.write("?\n")
            out.writeLines(lines)
            if let error { out.writeLines(error.lines(indent: shell.prompt.count)) }
            out.flush()
            return UInt8(CC_REDISPLAY)
        }
        let completion = shell.complete(before)
        let candidates = completion.candidates
        guard !candidates.isEmpty else { return UInt8(CC_REFRESH_BEEP) }
        if candidates.count == 1 {
            let word = candidates[0]
            _ = el_insertstr(el, String(word.dropFirst(completion.partial.count)) + " ")
            return UInt8(CC_REFRESH)
        }
        let common = completion.commonPrefix
        if common.count > completion.partial.count {
            _ = el_insertstr(el, String(common.dropFirst(completion.partial.count)))
            return UInt8(CC_REFRESH)
        }
        out.write("\n")
        out.writeLines(Self.columns(candidates, width: terminalWidth()))
        out.flush()
        return UInt8(CC_REDISPLAY)
    }

    private func terminalWidth() -> Int {
        var rows: Int32 = 0, cols: Int32 = 0
        vmr_tty_size(out.fd, &rows, &cols)
        return cols > 0 ? Int(cols) : 80
    }

    /// Lays words out in columns across the terminal, as shells list completions.
    static func columns(_ words: [String], width: Int) -> [String] {
        let cell = (words.map(\.count).max() ?? 0) + 2
        let perLine = max(1, width / cell)
        var lines: [String] = []
        var i = 0
        while i < words.count {
            let row = words[i..<min(i + perLine, words.count)]
            let text = row.map { $0 + String(repeating: " ", count: cell - $0.count) }.joined()
            lines.append(String(text.reversed().drop(while: { $0 == " " }).reversed()))
            i += perLine
        }
        return lines
    }
}
