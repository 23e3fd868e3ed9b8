import SwitchTypes

/// The value a matched parameter carries to its handler, already validated and normalized.
public enum ArgumentValue: Sendable, Hashable {
    case integer(Int)
    /// 48-bit MAC address in the low bits.
    case mac(UInt64)
    /// 24-bit organizationally unique identifier.
    case oui(UInt32)
    case ipv4(UInt32)
    /// Physical ports and vNICs, sorted (a port before its vNICs), without duplicates.
    case ports([BridgePort])
    /// Sorted, without duplicates.
    case vlans([Int])
    /// One vNIC: physical port and index (`P.I`).
    case vnic(port: Int, index: Int)
    case word(String)
    case string(String)
    case line(String)
    /// The keyword chosen in a named alternative, e.g. `(access|trunk):mode`.
    case keyword(String)

    /// The canonical text form (MACs lower-case with colons, strings unquoted).
    public var text: String {
        switch self {
        case .integer(let v): return String(v)
        case .mac(let v): return MACFormat.string(v)
        case .oui(let v): return MACFormat.ouiString(v)
        case .ipv4(let v): return IPv4Format.string(v)
        case .ports(let p): return BridgePortListFormat.string(p)
        case .vlans(let v): return PortListFormat.string(v)
        case .vnic(let port, let index): return "\(port).\(index)"
        case .word(let s), .string(let s), .line(let s), .keyword(let s): return s
        }
    }
}

/// The parameters of one matched command, by the names the grammar gave them.
public struct Arguments: Sendable, Hashable {
    public private(set) var values: [String: ArgumentValue] = [:]

    public init(_ values: [String: ArgumentValue] = [:]) { self.values = values }

    public subscript(name: String) -> ArgumentValue? {
        get { values[name] }
        set { values[name] = newValue }
    }

    public func integer(_ name: String) -> Int? {
        if case .integer(let v)? = values[name] { return v }
        return nil
    }

    public func text(_ name: String) -> String? { values[name]?.text }

    public func ports(_ name: String) -> [BridgePort]? {
        if case .ports(let p)? = values[name] { return p }
        return nil
    }

    public func vlans(_ name: String) -> [Int]? {
        if case .vlans(let v)? = values[name] { return v }
        return nil
    }

    public func vnic(_ name: String) -> (port: Int, index: Int)? {
        if case .vnic(let port, let index)? = values[name] { return (port, index) }
        return nil
    }

    public func mac(_ name: String) -> UInt64? {
        if case .mac(let v)? = values[name] { return v }
        return nil
    }

    public func ipv4(_ name: String) -> UInt32? {
        if case .ipv4(let v)? = values[name] { return v }
        return nil
    }

    public func oui(_ name: String) -> UInt32? {
        if case .oui(let v)? = values[name] { return v }
        return nil
    }

    public var isEmpty: Bool { values.isEmpty }
}
