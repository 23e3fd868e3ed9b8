import Glibc

/// Why the dataplane could not attach a port, open a file or start.
public enum DataplaneError: Error, Hashable, Sendable, CustomStringConvertible {
    /// libpcap refused: the operation, the interface or file, and libpcap's message.
    case pcap(operation: String, target: String, message: String)
    /// A capture file or interface whose link type is not Ethernet: the number the file
    /// (or libpcap, for an interface) gives, and libpcap's name for it.
    case unsupportedLinkType(target: String, linkType: Int32, name: String?)
    /// AF_XDP refused: the interface, the step that failed (`mtu` when the interface's MTU,
    /// given, is above what a UMEM frame holds) and its errno.
    case xdp(target: String, step: String, errno: Int32, mtu: Int?)
    /// The XDP fast path's program could not be loaded (`target` "program") or attached
    /// to an interface: the step that failed and its errno.
    case xdpFastPath(target: String, step: String, errno: Int32)
    /// An attachment names a port outside 1...N.
    case invalidPort(Int)
    /// The capture directory could not be created.
    case cannotCreateDirectory(path: String, errno: Int32)
    /// The initial configuration is invalid.
    case configuration(BridgeConfigurationError)
    /// Replaying files needs a `VirtualClock` (the switch time follows the capture).
    case replayNeedsVirtualClock
    /// `start()` was called twice.
    case alreadyStarted

    public var description: String {
        switch self {
        case .pcap(let operation, let target, let message): "\(target): \(operation): \(message)"
        case .unsupportedLinkType(let target, let linkType, let name):
            "\(target): link type \(linkType)" + (name.map { " (\($0))" } ?? "") + " is not Ethernet (1)"
        case .xdp(let target, "mtu", _, let mtu?):
            "\(target): AF_XDP: MTU \(mtu) is above the \(XDPPort.maximumFrameLength - 18) an AF_XDP frame holds"
        case .xdp(let target, "capabilities", _, _):
            "\(target): AF_XDP needs CAP_NET_ADMIN, CAP_NET_RAW and CAP_BPF (or CAP_SYS_ADMIN)"
        case .xdp(let target, "xsk_socket__create", let code, _) where code == EBUSY || code == EEXIST:
            // With the capabilities checked first, this is another program on the hook
            // (a switch killed with SIGKILL leaves its own).
            "\(target): AF_XDP: xsk_socket__create: \(String(cString: strerror(code))) "
                + "(another XDP program on the interface? ip link set dev \(target) xdp off removes it)"
        case .xdp(let target, let step, let code, _): "\(target): AF_XDP: \(step): \(String(cString: strerror(code)))"
        case .xdpFastPath(let target, let step, let code) where code == EPERM:
            "\(target): XDP fast path: \(step): \(String(cString: strerror(code))) "
                + "(needs CAP_BPF and CAP_PERFMON, or CAP_SYS_ADMIN)"
        case .xdpFastPath(let target, let step, let code):
            "\(target): XDP fast path: \(step): \(String(cString: strerror(code)))"
        case .invalidPort(let port): "invalid port \(port)"
        case .cannotCreateDirectory(let path, let code): "\(path): cannot create directory: \(String(cString: strerror(code)))"
        case .configuration(let error): error.description
        case .replayNeedsVirtualClock: "replaying capture files needs a virtual clock"
        case .alreadyStarted: "the dataplane is already started"
        }
    }
}
