/// What a port is attached to (`vmready --attach P=...`).
public enum PortAttachment: Sendable, CustomStringConvertible {
    /// A live Linux interface through libpcap (`--attach 1=veth1`).
    case interface(String)
    /// A capture file replayed as the port's ingress (`--attach 1=file:in.pcap`).
    case file(String)
    /// An in-memory port driven by a test or benchmark.
    case memory(MemoryPort)

    /// Parses the `--attach` value: `file:PATH` or an interface name.
    public init(parsing text: String) {
        if text.hasPrefix("file:") {
            self = .file(String(text.dropFirst(5)))
        } else {
            self = .interface(text)
        }
    }

    /// `IFNAME`, `file:PATH` or `memory`.
    public var description: String {
        switch self {
        case .interface(let name): name
        case .file(let path): "file:\(path)"
        case .memory: "memory"
        }
    }
}
