import CommandEngine
import Console
import RunningConfig

/// `virt evb profile`, `virt evb vsitype`, `ecp retransmit-exponent`, a port's `evb profile`
/// and `show virt vsitypes` (protocols.md "EVB").
enum EVBCommands: SwitchFeature {
    static func addHandlers(_ sw: VMreadySwitch, to t: inout HandlerTable) {
        t.on(.evbprofileEnter) { args, _ throws(CommandFailure) in
            let number = args.evbprofile
            try sw.configure { (s: inout SwitchState) throws(CommandFailure) in
                if s.evb.profiles[number] == nil { s.evb.profiles[number] = EVBConfiguration.Profile() }
            }
        }
        t.on(.evbprofileDelete) { args, _ throws(CommandFailure) in
            let number = args.evbprofile
            try sw.configure { (s: inout SwitchState) throws(CommandFailure) in
                guard s.evb.profiles[number] != nil else { throw CommandFailure("EVB profile \(number) does not exist") }
                let users = s.evb.portProfiles.filter { $0.value == number }.keys.sorted()
                guard users.isEmpty else {
                    throw CommandFailure("EVB profile \(number) is used by port \(VirtSupport.portList(Set(users)))")
                }
                s.evb.profiles[number] = nil
            }
        }
        t.on(.evbprofileRelay) { args, _ throws(CommandFailure) in try editProfile(sw, args.evbprofile) { $0.reflectiveRelay = true } }
        t.on(.evbprofileRelayOff) { args, _ throws(CommandFailure) in try editProfile(sw, args.evbprofile) { $0.reflectiveRelay = false } }
        t.on(.evbprofileDiscovery) { args, _ throws(CommandFailure) in try editProfile(sw, args.evbprofile) { $0.vsiDiscovery = true } }
        t.on(.evbprofileDiscoveryOff) { args, _ throws(CommandFailure) in try editProfile(sw, args.evbprofile) { $0.vsiDiscovery = false } }
        t.on(.vsitypeEnter) { args, _ throws(CommandFailure) in
            let key = EVBConfiguration.VSITypeKey(id: args.typeid, version: args.typeversion)
            try sw.configure { (s: inout SwitchState) throws(CommandFailure) in
                if s.evb.vsiTypes[key] == nil { s.evb.vsiTypes[key] = EVBConfiguration.VSIType() }
            }
        }
        t.on(.vsitypeDelete) { args, _ throws(CommandFailure) in
            let key = EVBConfiguration.VSITypeKey(id: args.typeid, version: args.typeversion)
            try sw.configure { (s: inout SwitchState) throws(CommandFailure) in
                guard s.evb.vsiTypes.removeValue(forKey: key) != nil else { throw noSuchType(key) }
            }
        }
        t.on(.vsitypeVLAN) { args, _ throws(CommandFailure) in
            let vlan = args.vlan
            try editType(sw, args.typeid, args.typeversion) { s, v throws(CommandFailure) in v.vlan = try s.existingVLAN(vlan) }
        }
        t.on(.vsitypeVLANRemove) { args, _ throws(CommandFailure) in
            try editType(sw, args.typeid, args.typeversion) { _, v in v.vlan = nil }
        }
        t.on(.vsitypeProfile) { args, _ throws(CommandFailure) in
            let profile = args.profile
            try editType(sw, args.typeid, args.typeversion) { s, v throws(CommandFailure) in
                guard s.virt.profiles[profile] != nil else { throw CommandFailure("VM profile \(profile) does not exist") }
                v.profile = profile
            }
        }
        t.on(.vsitypeProfileRemove) { args, _ throws(CommandFailure) in
            try editType(sw, args.typeid, args.typeversion) { _, v in v.profile = nil }
        }
        t.on(.ecpExponent) { args, _ throws(CommandFailure) in
            let exponent = args.exponent
            try sw.configure { (s: inout SwitchState) throws(CommandFailure) in s.evb.retransmitExponent = exponent }
        }
        t.on(.ecpExponentDefault) { _, _ throws(CommandFailure) in
            try sw.configure { (s: inout SwitchState) throws(CommandFailure) in
                s.evb.retransmitExponent = EVBConfiguration.defaultRetransmitExponent
            }
        }
        t.on(.interfaceEVB) { args, _ throws(CommandFailure) in
            let ports = try InterfaceCommands.validPorts(sw, args.ports)
            let number = args.evbprofile
            try sw.configure { (s: inout SwitchState) throws(CommandFailure) in
                guard s.evb.profiles[number] != nil else { throw CommandFailure("EVB profile \(number) does not exist") }
                for port in ports { s.evb.portProfiles[port] = number }
            }
        }
        t.on(.interfaceEVBRemove) { args, _ throws(CommandFailure) in
            let ports = try InterfaceCommands.validPorts(sw, args.ports)
            try sw.configure { (s: inout SwitchState) throws(CommandFailure) in
                for port in ports { s.evb.portProfiles[port] = nil }
            }
        }
        t.on(.showVirtEVB) { args, ctx throws(CommandFailure) in
            if let port = args.port { try InterfaceCommands.validPort(sw, port) }
            sw.settle()
            ctx.show(VirtEVBReport(sw, port: args.port))
        }
        t.on(.showVirtVsi) { args, ctx throws(CommandFailure) in
            if let port = args.port { try InterfaceCommands.validPort(sw, port) }
            sw.settle()
            ctx.show(VirtVSIReport(sw, port: args.port, mac: args.mac, vlan: args.vlan.map(UInt16.init)))
        }
        t.on(.showEcp) { args, ctx throws(CommandFailure) in
            if let port = args.port { try InterfaceCommands.validPort(sw, port) }
            sw.settle()
            ctx.show(ECPReport(sw, port: args.port))
        }
        t.on(.showVirtVsitypes) { _, ctx in
            ctx.show(VirtVSITypesReport(sw.state.withLock { $0 }))
        }
    }

    static func noSuchType(_ key: EVBConfiguration.VSITypeKey) -> CommandFailure {
        CommandFailure("VSI type \(key.id) version \(key.version) does not exist")
    }

    private static func editProfile(_ sw: VMreadySwitch, _ number: Int,
                                    _ change: @escaping (inout EVBConfiguration.Profile) -> Void) throws(CommandFailure) {
        try sw.configure { (s: inout SwitchState) throws(CommandFailure) in
            guard var profile = s.evb.profiles[number] else { throw CommandFailure("EVB profile \(number) does not exist") }
            change(&profile)
            s.evb.profiles[number] = profile
        }
    }

    private static func editType(_ sw: VMreadySwitch, _ id: Int, _ version: Int,
                                 _ change: (SwitchState, inout EVBConfiguration.VSIType) throws(CommandFailure) -> Void)
        throws(CommandFailure) {
        let key = EVBConfiguration.VSITypeKey(id: id, version: version)
        try sw.configure { (s: inout SwitchState) throws(CommandFailure) in
            guard var type = s.evb.vsiTypes[key] else { throw noSuchType(key) }
            try change(s, &type)
            s.evb.vsiTypes[key] = type
        }
    }

    /// A port's `evb profile N` line, in its interface block.
    static func portLines(_ s: SwitchState, port: Int) -> [String] {
        s.evb.portProfiles[port].map { ["evb profile \($0)"] } ?? []
    }

    /// Profiles before the interfaces that name them; VSI types after the VM profiles they
    /// name (and before the groups); the exponent with the other protocols.
    static func stanzas(_ s: SwitchState) -> [ConfigStanza] {
        var out: [ConfigStanza] = s.evb.profiles.sorted { $0.key < $1.key }.map { number, profile in
            var body: [String] = []
            if profile.reflectiveRelay { body.append("reflective-relay") }
            if profile.vsiDiscovery { body.append("vsi-discovery") }
            return ConfigStanza(section: .evbProfiles, key: number, header: "virt evb profile \(number)", body: body)
        }
        for (offset, (key, type)) in s.evb.vsiTypes.sorted(by: { $0.key < $1.key }).enumerated() {
            var body: [String] = []
            if let vlan = type.vlan { body.append("vlan \(vlan)") }
            if let profile = type.profile { body.append("profile " + ConfigText.quoted(profile)) }
            out.append(ConfigStanza(section: .virt, key: 9_000 + offset, header: "virt evb vsitype \(key.id) version \(key.version)",
                                    body: body))
        }
        if s.evb.retransmitExponent != EVBConfiguration.defaultRetransmitExponent {
            out.append(ConfigStanza(section: .protocols, line: "ecp retransmit-exponent \(s.evb.retransmitExponent)"))
        }
        return out
    }
}
