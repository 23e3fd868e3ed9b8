import Frames

/// How the operator names a VM wherever one is named (`vm ...` in a group,
/// `virt vmpolicy vmbwidth ...`): by MAC, by index, by IP or by name. Only a
/// MAC names a VM before it is seen; the others resolve against the VM table
/// as VMs are detected (and a name only once a VM manager supplies names).
public enum VMReference: Hashable, Sendable, Comparable, CustomStringConvertible {
    case mac(MACAddress)
    case index(Int)
    case ip(IPv4Address)
    case name(String)

    /// The VM this reference names among `vms`, if any is known.
    public func resolve(in vms: VMLookup) -> VMEntry? {
        switch self {
        case .mac(let mac): vms[mac]
        case .index(let index): vms.vm(index: index)
        case .ip(let ip): vms.ipOwner(ip)
        case .name: nil
        }
    }

    /// As written in the configuration: `00:50:56:9c:00:c8`, `5`, `198.18.0.5`, `"web01"`.
    public var description: String {
        switch self {
        case .mac(let mac): mac.description
        case .index(let index): String(index)
        case .ip(let ip): ip.description
        case .name(let name): "\"" + name + "\""
        }
    }

    private var order: (Int, UInt64, String) {
        switch self {
        case .mac(let mac): (0, mac.rawValue, "")
        case .index(let index): (1, UInt64(index), "")
        case .ip(let ip): (2, UInt64(ip.rawValue), "")
        case .name(let name): (3, 0, name)
        }
    }

    public static func < (a: VMReference, b: VMReference) -> Bool { a.order < b.order }
}
