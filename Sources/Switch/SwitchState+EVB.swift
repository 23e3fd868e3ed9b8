import Console
import Dataplane
import Frames
import Protocols

/// What 802.1Qbg runs from (protocols.md "EVB"): the ports' profiles become the EVB agent's
/// settings and the EVB TLV in their nearest-customer-bridge LLDPDUs; the station's EVB TLV
/// decides reflective relay, in the published configuration only.
extension SwitchState {
    /// The EVB TLV values port `port` offers, nil without an `evb profile`.
    func evbBridgeSettings(port: Int) -> EVBBridgeSettings? {
        guard let number = evb.portProfiles[port], let profile = evb.profiles[number] else { return nil }
        return evbBridgeSettings(profile)
    }

    private func evbBridgeSettings(_ profile: EVBConfiguration.Profile) -> EVBBridgeSettings {
        EVBBridgeSettings(retransmitExponent: UInt8(evb.retransmitExponent), reflectiveRelayAllowed: profile.reflectiveRelay)
    }

    /// The EVB agent's settings: per port with a profile, its TLV values, VDP on or off, the
    /// VLANs a VSI may be given (those that exist), and whether the port is up in `effective`.
    func evbSettings(effective: BridgeConfiguration, systemMAC: MACAddress) -> EVBSettings {
        var settings = EVBSettings(sourceMAC: systemMAC, portCount: effective.portCount)
        let existing = Set(effective.vlans.existing.members)
        for (port, number) in evb.portProfiles where effective.isValidPort(port) {
            guard let profile = evb.profiles[number] else { continue }
            settings.ports[port - 1] = EVBSettings.Port(bridge: evbBridgeSettings(profile), vsiDiscovery: profile.vsiDiscovery,
                                                        allowedVLANs: existing, isUp: effective[port: port].isEnabled)
        }
        return settings
    }

    /// The local VSI type database as the agent reads it: a type naming only a VM profile
    /// takes the profile's VLAN.
    var vsiTypeDatabase: LocalVSITypeDatabase {
        var types: [LocalVSITypeDatabase.Key: VSIType] = [:]
        for (key, type) in evb.vsiTypes {
            let vlan = type.vlan ?? type.profile.flatMap { virt.profiles[$0]?.vlan }
            types[LocalVSITypeDatabase.Key(typeID: UInt32(key.id), version: UInt8(key.version))] =
                VSIType(vlan: vlan, profile: type.profile)
        }
        // The policy database's types, where the switch defines none of its own (a local
        // definition wins, as a local group does).
        for key in policyDBVSITypes.keys where evb.vsiTypes[key] == nil {
            guard let type = policyDBVSIType(key), let id = UInt32(exactly: key.id), let version = UInt8(exactly: key.version) else { continue }
            types[LocalVSITypeDatabase.Key(typeID: id, version: version)] = VSIType(vlan: type.vlan, profile: type.profile)
        }
        return LocalVSITypeDatabase(types: types)
    }

    /// What EVB negotiated on `port` with the station last heard there.
    func evbOperational(port: Int) -> EVBOperational? {
        guard let bridge = evbBridgeSettings(port: port) else { return nil }
        return EVBNegotiation.operational(bridge: bridge, station: evbStations[port])
    }

    /// Ports where the station asked for reflective relay and the profile allows it relay
    /// frames back out of themselves (VEPA).
    func applyReflectiveRelay(_ effective: inout BridgeConfiguration) {
        for port in evb.portProfiles.keys where effective.isValidPort(port) && evbOperational(port: port)?.reflectiveRelay == true {
            effective[port: port].reflectiveRelay = true
        }
    }
}

extension VMreadySwitch {
    /// A neighbour changed on a nearest-customer-bridge agent: on an EVB port, its station's
    /// EVB TLV (what it asks for) is kept, and with it what reflective relay the port runs.
    /// Runs on the control-plane loop's thread; one `configure`, never waiting.
    func evbNeighborChanged(_ event: LLDPAgent.NeighborEvent) {
        guard event.agent == .nearestCustomerBridge else { return }
        let station: EVBTLV? = switch event.kind {
        case .added, .changed: EVBTLV.first(in: event.neighbor.tlvs).flatMap { $0.mode == .station ? $0 : nil }
        case .removed: nil
        }
        try? configure { (s: inout SwitchState) throws(CommandFailure) in
            guard s.evb.portProfiles[event.port] != nil || s.evbStations[event.port] != nil else { return }
            s.evbStations[event.port] = station
        }
    }
}
