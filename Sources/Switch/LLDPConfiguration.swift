import Frames
import Protocols

/// What the operator configures of LLDP (`lldp ...`, interface `lldp ...`, `system
/// management-address`). What LLDP also advertises about the switch (hostname, port
/// descriptions, VLANs, ports up or down) comes from the rest of the configuration when it
/// is published (`SwitchState.lldpSettings`).
struct LLDPConfiguration: Equatable, Sendable {
    var enabled = true
    var refreshInterval = 30
    var holdtimeMultiplier = 4
    var reinitDelay = 2
    var managementAddress: IPv4Address?
    /// Per port, index 0 = port 1.
    var adminStatus: [LLDPAdminStatus]
    var advertised: [LLDPAdvertisedTLVs]

    init(portCount: Int) {
        adminStatus = Array(repeating: .txRx, count: portCount)
        advertised = Array(repeating: .all, count: portCount)
    }
}

/// What the operator configures of DCBX (`dcbx ...`, interface `dcbx ...`).
struct DCBXConfiguration: Equatable, Sendable {
    var global = DCBXSettings()
    /// Per port, index 0 = port 1.
    var ports: [DCBXSettings.Port]

    init(portCount: Int) {
        ports = Array(repeating: DCBXSettings.Port(), count: portCount)
    }
}
