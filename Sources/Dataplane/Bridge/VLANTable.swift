/// The VLANs that exist on the switch (1...4094) and their names. VLAN 1 always exists.
public struct VLANTable: Hashable, Sendable {
    /// The IDs of the VLANs that exist.
    public private(set) var existing: VLANSet
    private var names: [UInt16: String]

    /// A table holding only the default VLAN 1.
    public init() {
        existing = VLANSet([1])
        names = [:]
    }

    /// True when `vlan` exists.
    public func contains(_ vlan: UInt16) -> Bool { existing.contains(vlan) }

    /// Creates `vlan` (no effect when it exists).
    /// - Throws: `BridgeConfigurationError.invalidVLAN` outside 1...4094.
    public mutating func create(_ vlan: UInt16) throws(BridgeConfigurationError) {
        guard VLANSet.validRange.contains(vlan) else { throw .invalidVLAN(Int(vlan)) }
        existing.insert(vlan)
    }

    /// Deletes `vlan` and its name.
    /// - Throws: `BridgeConfigurationError.defaultVLANCannotBeDeleted` for VLAN 1.
    public mutating func delete(_ vlan: UInt16) throws(BridgeConfigurationError) {
        guard vlan != 1 else { throw .defaultVLANCannotBeDeleted }
        existing.remove(vlan)
        names[vlan] = nil
    }

    /// The VLAN's name: the configured one, else `VLAN0100`-style (`default` for VLAN 1).
    public func name(of vlan: UInt16) -> String {
        if let name = names[vlan] { return name }
        if vlan == 1 { return "default" }
        let digits = String(vlan)
        return "VLAN" + String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }

    /// The configured name, nil when the default name applies.
    public func configuredName(of vlan: UInt16) -> String? { names[vlan] }

    /// Names an existing VLAN; nil restores the default name.
    /// - Throws: `BridgeConfigurationError.noSuchVLAN` when the VLAN does not exist.
    public mutating func setName(_ name: String?, of vlan: UInt16) throws(BridgeConfigurationError) {
        guard existing.contains(vlan) else { throw .noSuchVLAN(Int(vlan)) }
        names[vlan] = name
    }
}
