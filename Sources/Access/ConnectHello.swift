/// The first message of a `vmready connect` client, sent with its standard input, output
/// and error descriptors: what the switch cannot learn from the socket itself. Who the
/// user is comes from the kernel (SO_PEERCRED), never from here.
/// Text, one `key value` per line: easy to read in an strace.
public struct ConnectHello: Sendable, Equatable {
    static let magic = "vmready-connect 1"
    /// The client's stdin and stdout are a terminal: an interactive session, else a batch.
    public var terminal: Bool
    /// `TERM` of the client's terminal.
    public var terminalType: String?
    /// Where the operator is: the SSH client's address, else the tty name.
    public var from: String
    /// A batch stops at its first failing line.
    public var stopOnError: Bool

    public init(terminal: Bool, terminalType: String?, from: String, stopOnError: Bool) {
        self.terminal = terminal
        self.terminalType = terminalType
        self.from = from
        self.stopOnError = stopOnError
    }

    var encoded: String {
        var lines = [Self.magic, "terminal \(terminal ? 1 : 0)", "stop-on-error \(stopOnError ? 1 : 0)",
                     "from " + Self.clean(from)]
        if let terminalType { lines.append("term " + Self.clean(terminalType)) }
        return lines.joined(separator: "\n") + "\n"
    }

    /// nil when the text is not a hello (another program on the socket).
    init?(decoding text: String) {
        let lines = text.split(separator: "\n").map(String.init)
        guard lines.first == Self.magic else { return nil }
        var fields: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let space = line.firstIndex(of: " ") else { continue }
            fields[String(line[..<space])] = String(line[line.index(after: space)...])
        }
        terminal = fields["terminal"] == "1"
        stopOnError = fields["stop-on-error"] == "1"
        from = Self.clean(fields["from"] ?? "unknown")
        terminalType = fields["term"].map(Self.clean)
    }

    /// Printable, one line, bounded: it ends up in `show users` and the log.
    static func clean(_ s: String) -> String {
        String(s.filter { $0.isASCII && !$0.isNewline && ($0.asciiValue ?? 0) >= 0x20 }.prefix(64))
    }
}
