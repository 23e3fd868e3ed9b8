/// The configuration the switch holds, as the CLI changes it. Guarded by the switch's lock.
struct SwitchState: Sendable {
    static let defaultHostname = "vmready"

    var hostname = SwitchState.defaultHostname
    /// Created VLANs and their names (nil = the default name). VLAN 1 always exists.
    var vlans: [Int: String?] = [1: nil]
    var ports: [PortSettings]

    init(portCount: Int) {
        ports = Array(repeating: PortSettings(), count: portCount)
    }

    static func defaultVLANName(_ vid: Int) -> String {
        vid == 1 ? "Default VLAN" : "VLAN \(vid)"
    }
}

/// Per-port settings; the defaults are not rendered.
struct PortSettings: Sendable, Hashable {
    var description: String?
    var shutdown = false
}
