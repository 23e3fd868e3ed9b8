/// What a port is attached to (`vmready --attach P=...`).
public enum PortAttachment: Sendable, CustomStringConvertible {
    /// A live Linux interface, on AF_XDP where the kernel allows it, else libpcap
    /// (`--attach 1=veth1`).
    case interface(String)
    /// A live Linux interface on AF_XDP, falling back to libpcap only when the kernel
    /// refuses (`--attach 1=xdp:veth1`).
    case xdp(String)
    /// A live Linux interface on libpcap only (`--attach 1=pcap:veth1`).
    case pcap(String)
    /// A capture file replayed as the port's ingress (`--attach 1=file:in.pcap`).
    case file(String)
    /// An in-memory port driven by a test or benchmark.
    case memory(MemoryPort)

    /// Parses the `--attach` value: `file:PATH`, `xdp:IFNAME`, `pcap:IFNAME` or an interface name.
    public init(parsing text: String) {
        if text.hasPrefix("file:") {
            self = .file(String(text.dropFirst(5)))
        } else if text.hasPrefix("xdp:") {
            self = .xdp(String(text.dropFirst(4)))
        } else if text.hasPrefix("pcap:") {
            self = .pcap(String(text.dropFirst(5)))
        } else {
            self = .interface(text)
        }
    }

    /// `IFNAME`, `xdp:IFNAME`, `pcap:IFNAME`, `file:PATH` or `memory`.
    public var description: String {
        switch self {
        case .interface(let name): name
        case .xdp(let name): "xdp:\(name)"
        case .pcap(let name): "pcap:\(name)"
        case .file(let path): "file:\(path)"
        case .memory: "memory"
        }
    }

    /// What `show interface` calls it: the interface without its I/O prefix, or the description.
    public var target: String {
        switch self {
        case .interface(let name), .xdp(let name), .pcap(let name): name
        case .file, .memory: description
        }
    }
}

/// How a port's frames move, as `show interface` reports it.
public enum PortIOKind: String, Sendable, Hashable, CaseIterable {
    /// AF_XDP, the program in the driver.
    case xdpNative = "xdp-native"
    /// AF_XDP, the program in the generic stack.
    case xdpGeneric = "xdp-generic"
    /// AF_XDP with the XDP fast path's program, in the driver: known unicast between
    /// fast-path ports is forwarded in the kernel, the rest reaches the switch's sockets.
    case xdpFastNative = "xdp-fast-native"
    /// AF_XDP with the XDP fast path's program, in the generic stack.
    case xdpFastGeneric = "xdp-fast-generic"
    /// libpcap on a live interface.
    case pcap
    /// Replayed from a capture file.
    case file
    /// An in-memory port.
    case memory

    /// The XDP fast path's program carries the port (its kernel counters are the port's too).
    public var isFastPath: Bool { self == .xdpFastNative || self == .xdpFastGeneric }
}
