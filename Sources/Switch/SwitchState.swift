import Console
import Dataplane
import Frames
import PolicyDB
import Protocols
import SwitchTypes
import Virtualization

/// The configuration the switch holds, as the CLI changes it, plus the little runtime
/// state that changes what is published (err-disabled ports). Guarded by the switch's
/// lock; what it means for forwarding is published on every change.
struct SwitchState: Sendable {
    static let defaultHostname = "vmready"

    var hostname = SwitchState.defaultHostname
    /// Port descriptions, index 0 = port 1 (the dataplane has no use for them).
    var descriptions: [String?]
    /// vNIC descriptions (`interface port P.I`), kept while the vNIC is configured.
    var vnicDescriptions: [BridgePort: String] = [:]
    /// VLANs, ports, MAC table settings, ACLs: the operator's bridge configuration.
    var bridge: BridgeConfiguration
    /// VMready: OUIs, server ports, groups, profiles, checks, bandwidth.
    var virt = VirtConfiguration()
    /// Ports vmcheck shut (err-disabled), with why; `shutdown` + `no shutdown` recovers.
    var errDisabled: [Int: String] = [:]
    /// What was last handed to the forwarding engine (the bridge plus VMready's effects).
    var published: BridgeConfiguration?
    /// The enable secret and exec-timeout (AccessCommands).
    var access = AccessSettings()
    /// LLDP and DCBX (LLDPCommands, DCBXCommands).
    var lldp: LLDPConfiguration
    var dcbx: DCBXConfiguration
    /// What was last handed to the LLDP agent.
    var publishedLLDP: LLDPSettings?
    /// Ports whose vNICs' S-VIDs are negotiated by CDCP (`vnic port P cdcp`).
    var vnicCDCPPorts: Set<Int> = []
    /// The last CDCP request each such port's station sent (runtime, from its LLDPDUs):
    /// with the configuration it decides which vNICs take traffic (`SwitchState+CDCP`).
    var cdcpRequests: [Int: CDCPTLV] = [:]
    /// 802.1Qbg (EVBCommands).
    var evb = EVBConfiguration()
    /// The EVB TLV each EVB port's station sent last (runtime, from its LLDPDUs).
    var evbStations: [Int: EVBTLV] = [:]
    /// What was last handed to the EVB agent.
    var publishedEVB: EVBSettings?
    var publishedVSITypes: LocalVSITypeDatabase?
    /// VSIs VDP associated, by MAC (runtime): VMs with their type's policy (`applyVSIGroups`).
    var vsiBindings: [MACAddress: VSIBinding] = [:]
    /// `virt vmmanager ...` (VMManagerCommands).
    var vmManager = VMManagerSettings()
    /// Domain names the VM managers report, to their MACs (runtime): `vm NAME` members.
    var vmManagerNames: [String: [MACAddress]] = [:]
    /// MACs the advanced check's `acl` action blocks, oldest first (runtime).
    var vmcheckBlocks: [VMCheckBlock] = []
    /// `virt policy-db ...` (PolicyDBCommands).
    var policyDB = PolicyDBConfiguration()
    /// The policy database's answers in force (runtime, `SwitchState+PolicyDB`): VMs no
    /// local group claims, with their profile.
    var policyDBAssignments: [MACAddress: PolicyProfile] = [:]
    /// The database's VSI types (runtime), mirrored so that VDP looks them up from memory.
    var policyDBVSITypes: [EVBConfiguration.VSITypeKey: PolicyProfile] = [:]
    /// `snmp-server ...` (SNMPCommands).
    var snmp = SNMPConfiguration()
    /// `logging ...` (LoggingCommands): the buffer's size, the console, remote collectors.
    var logging = LoggingConfiguration()

    /// Checked inside a change, under the lock: another session may have deleted the VLAN.
    func requireVLAN(_ vlan: UInt16) throws(CommandFailure) {
        guard bridge.vlans.contains(vlan) else { throw CommandFailure("VLAN \(vlan) does not exist") }
    }

    /// `vlan` as a VLAN id, when that VLAN exists: what a VM group or profile may be set to.
    func existingVLAN(_ vlan: Int) throws(CommandFailure) -> UInt16 {
        let vid = UInt16(vlan)
        try requireVLAN(vid)
        return vid
    }

    init(bridge: BridgeConfiguration) {
        self.bridge = bridge
        descriptions = Array(repeating: nil, count: bridge.portCount)
        lldp = LLDPConfiguration(portCount: bridge.portCount)
        dcbx = DCBXConfiguration(portCount: bridge.portCount)
    }
}

extension SwitchState {
    /// Everything an operator configured, without runtime state (what was published,
    /// err-disabled ports): what the running-config must carry in full. The round-trip
    /// law compares it, so a setting that is kept but never rendered fails a test.
    struct Configured: Equatable {
        let hostname: String
        let descriptions: [String?]
        let vnicDescriptions: [BridgePort: String]
        let bridge: BridgeConfiguration
        let virt: VirtConfiguration
        let access: AccessSettings
        let lldp: LLDPConfiguration
        let dcbx: DCBXConfiguration
        let vnicCDCPPorts: Set<Int>
        let vmManager: VMManagerSettings
        let evb: EVBConfiguration
        let policyDB: PolicyDBConfiguration
        let snmp: SNMPConfiguration
        let logging: LoggingConfiguration
    }

    var configured: Configured {
        Configured(hostname: hostname, descriptions: descriptions, vnicDescriptions: vnicDescriptions, bridge: bridge, virt: virt, access: access,
                   lldp: lldp, dcbx: dcbx, vnicCDCPPorts: vnicCDCPPorts,
                   vmManager: vmManager, evb: evb, policyDB: policyDB, snmp: snmp, logging: logging)
    }
}
