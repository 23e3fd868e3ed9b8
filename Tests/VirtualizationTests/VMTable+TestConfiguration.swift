import Frames
import Virtualization

extension VMTable {
    /// VMready enabled with these settings: `validating` are members of group 1, which asks
    /// for basic validation.
    func configure(ouiTable: OUITable = .defaults, serverPorts: Set<Int>, validating: Set<MACAddress> = [],
                   trustedPorts: Set<Int> = [], downPorts: Set<Int> = []) throws {
        var config = VirtConfiguration()
        config.enabled = true
        config.ouiTable = ouiTable
        config.serverPorts = serverPorts
        for mac in validating.sorted() { try config.addMember(.mac(mac), toGroup: 1) }
        if !validating.isEmpty { try config.editGroup(1) { $0.validation = .basic } }
        reconfigure(config, vlans: [1], trustedPorts: trustedPorts, downPorts: downPorts)
    }
}
