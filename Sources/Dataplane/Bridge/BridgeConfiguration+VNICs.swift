import SwitchTypes

/// vNICs in the configuration: the numbering of the bridge ports the pipeline
/// forwards between, and the checks `validate` makes of vNICs and vNIC groups.
extension BridgeConfiguration {
    /// Accepted port speeds, Mbit/s.
    public static let speedRange = 1...1_000_000

    /// The bridge ports in the pipeline's own numbering: element n - 1 is bridge
    /// port n. Physical ports come first (1...portCount, so a switch without vNICs
    /// numbers exactly as before), then every configured vNIC, by port then index,
    /// whether enabled or not (so enabling one renumbers nothing). Port masks on the
    /// forwarding path are 64 bits: `validate` refuses more than 64 bridge ports.
    public var bridgePorts: [BridgePort] {
        (1...portCount).map { BridgePort(port: $0) } + vnicNumbering.map(\.name)
    }

    /// The configured vNICs in numbering order, each with its bridge port number.
    var vnicNumbering: [(number: Int, name: BridgePort, vnic: VNICConfiguration)] {
        var result: [(number: Int, name: BridgePort, vnic: VNICConfiguration)] = []
        for port in vnicPorts.keys.sorted() {
            for (index, vnic) in vnicPorts[port]!.vnics.sorted(by: { $0.key < $1.key }) {
                result.append((number: portCount + result.count + 1, name: BridgePort(port: port, vnic: index), vnic: vnic))
            }
        }
        return result
    }

    /// The MAC limits of ports and vNICs, by bridge port number: what the MAC table enforces.
    var bridgePortMACLimits: [Int: Int] {
        var limits = macPortLimits
        for entry in vnicNumbering { if let limit = entry.vnic.macLimit { limits[entry.number] = limit } }
        return limits
    }

    /// `port`'s bridge port number (see `bridgePorts`), nil when it does not exist.
    public func bridgePortNumber(of port: BridgePort) -> Int? {
        guard let index = port.vnic else { return isValidPort(port.port) ? port.port : nil }
        guard vnicPorts[port.port]?.vnics[index] != nil else { return nil }
        return vnicNumbering.first { $0.name == port }?.number
    }

    /// The ACLs of bridge port `number`'s switchport (none for a number not in use).
    func switchportACLs(ofBridgePort number: Int) -> [Int] {
        if number <= portCount { return self[port: number].acls }
        return vnicNumbering.first { $0.number == number }?.vnic.switchport.acls ?? []
    }

    /// The vNIC port configuration of `port`, when it has at least one vNIC.
    func vnicPort(_ port: Int) -> VNICPortConfiguration? {
        guard let settings = vnicPorts[port], !settings.vnics.isEmpty else { return nil }
        return settings
    }

    /// The enabled groups with a VLAN, by number.
    var activeVNICGroups: [(number: Int, group: VNICGroup, vlan: UInt16)] {
        guard vnicEnabled else { return [] }
        return vnicGroups.keys.sorted().compactMap { number in
            let group = vnicGroups[number]!
            guard group.isEnabled, let vlan = group.vlan else { return nil }
            return (number: number, group: group, vlan: vlan)
        }
    }

    /// Every VLAN a group has (enabled or not): no port or vNIC carries it otherwise.
    var reservedVLANs: VLANSet {
        var result = VLANSet()
        for group in vnicGroups.values { if let vlan = group.vlan, VLANSet.validRange.contains(vlan) { result.insert(vlan) } }
        return result
    }

    /// Checks the vNICs, their ports and the groups.
    func validateVNICs() throws(BridgeConfigurationError) {
        for port in 1...portCount where !BridgeConfiguration.speedRange.contains(self[port: port].speed) {
            throw .invalidPortSpeed(port: port, speed: self[port: port].speed)
        }
        var bridgePortCount = portCount
        for port in vnicPorts.keys.sorted() {
            let settings = vnicPorts[port]!
            guard isValidPort(port) else { throw .invalidPort(port) }
            var svids: Set<UInt16> = []
            var total = 0
            for index in settings.vnics.keys.sorted() {
                let vnic = settings.vnics[index]!
                let name = BridgePort(port: port, vnic: index)
                guard VNICConfiguration.indexRange.contains(index) else { throw .invalidVNICIndex(name) }
                guard VLANSet.validRange.contains(vnic.svid) else { throw .invalidSVID(name, Int(vnic.svid)) }
                guard svids.insert(vnic.svid).inserted else { throw .duplicateSVID(port: port, svid: Int(vnic.svid)) }
                guard VNICConfiguration.bandwidthRange.contains(vnic.bandwidthPercent) else {
                    throw .invalidVNICBandwidth(name, vnic.bandwidthPercent)
                }
                for vlan in [vnic.switchport.accessVLAN, vnic.switchport.nativeVLAN] where !VLANSet.validRange.contains(vlan) {
                    throw .invalidVLAN(Int(vlan))
                }
                for number in vnic.switchport.acls where acls[number] == nil { throw .noSuchACL(number) }
                if let limit = vnic.macLimit, !BridgeConfiguration.macLimitRange.contains(limit) { throw .invalidMACLimit(limit) }
                if vnic.isEnabled { total += vnic.bandwidthPercent }
                bridgePortCount += 1
            }
            guard total <= 100 else { throw .vnicBandwidthExceeded(port: port, percent: total) }
            if case .ioExtender(let upstream) = settings.mode {
                guard isValidPort(upstream), upstream != port, vnicPort(upstream) == nil else {
                    throw .invalidUpstream(port: port, upstream: upstream)
                }
            }
        }
        guard bridgePortCount <= BridgeConfiguration.maximumPorts else { throw .tooManyBridgePorts(bridgePortCount) }
        try validateSharedUpstreams()
        try validateVNICGroups()
    }

    /// The upstream tells its io-extender ports' frames apart by S-VID alone.
    private func validateSharedUpstreams() throws(BridgeConfigurationError) {
        var owners: [Int: [UInt16: Int]] = [:]
        for port in vnicPorts.keys.sorted() {
            guard case .ioExtender(let upstream) = vnicPorts[port]!.mode else { continue }
            for vnic in vnicPorts[port]!.vnics.values {
                if owners[upstream, default: [:]][vnic.svid] != nil {
                    throw .sharedUpstreamSVID(upstream: upstream, svid: Int(vnic.svid))
                }
                owners[upstream, default: [:]][vnic.svid] = port
            }
        }
    }

    private func validateVNICGroups() throws(BridgeConfigurationError) {
        var groupOf: [BridgePort: Int] = [:]
        var vlanOwner: [UInt16: Int] = [:]
        var uplinkOwner: [Int: Int] = [:]
        let upstreams = Set(vnicPorts.values.compactMap { settings -> Int? in
            if case .ioExtender(let upstream) = settings.mode, !settings.vnics.isEmpty { return upstream }
            return nil
        })
        for number in vnicGroups.keys.sorted() {
            let group = vnicGroups[number]!
            guard VNICGroup.numberRange.contains(number) else { throw .invalidVNICGroup(number) }
            if let vlan = group.vlan {
                guard VLANSet.validRange.contains(vlan) else { throw .invalidVLAN(Int(vlan)) }
                if vlanOwner[vlan] != nil { throw .groupVLANInUse(group: number, vlan: Int(vlan), by: "vnicgroup \(vlanOwner[vlan]!)") }
                vlanOwner[vlan] = number
            }
            for member in group.members.sorted() {
                guard let index = member.vnic, vnicPorts[member.port]?.vnics[index] != nil else { throw .noSuchVNIC(member) }
                if let other = groupOf[member] { throw .vnicInTwoGroups(member, first: other, second: number) }
                groupOf[member] = number
                guard vnicPorts[member.port]?.mode == .switch else { throw .groupMemberNotInSwitchMode(member) }
            }
            if let uplink = group.uplink {
                guard isValidPort(uplink), vnicPort(uplink) == nil, !upstreams.contains(uplink),
                      uplinkOwner[uplink] == nil else { throw .invalidGroupUplink(group: number, port: uplink) }
                uplinkOwner[uplink] = number
            }
        }
        // Reserved: the untagged VLAN of a port or vNIC that is not the group's own.
        for port in 1...portCount where uplinkOwner[port] == nil {
            if let group = vlanOwner[self[port: port].untaggedVLAN] {
                throw .groupVLANInUse(group: group, vlan: Int(self[port: port].untaggedVLAN), by: "port \(port)")
            }
        }
        for entry in vnicNumbering where groupOf[entry.name] == nil {
            if let group = vlanOwner[entry.vnic.switchport.untaggedVLAN] {
                throw .groupVLANInUse(group: group, vlan: Int(entry.vnic.switchport.untaggedVLAN), by: "port \(entry.name)")
            }
        }
    }
}
