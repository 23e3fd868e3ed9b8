import CommandEngine
import Console
import Dataplane
import RunningConfig

/// `vlan V` (create and enter), `name`, `no vlan V`, `show vlan`.
enum VLANCommands: SwitchFeature {
    static let maxNameLength = 32

    static func addHandlers(_ sw: VMreadySwitch, to t: inout HandlerTable) {
        t.on(.vlanEnter) { args, _ throws(CommandFailure) in
            let vid = UInt16(args.vlan)
            try sw.configure { (s: inout SwitchState) throws(CommandFailure) in
                try refusing { () throws(BridgeConfigurationError) in try s.bridge.vlans.create(vid) }
            }
        }
        t.on(.vlanDelete) { args, _ throws(CommandFailure) in
            let vid = UInt16(args.vlan)
            try sw.configure { (s: inout SwitchState) throws(CommandFailure) in try s.deleteVLAN(vid) }
        }
        t.on(.vlanName) { args, _ throws(CommandFailure) in
            let name = args.name
            guard (1...maxNameLength).contains(name.count) else {
                throw CommandFailure("VLAN name must be 1-\(maxNameLength) characters")
            }
            try setName(sw, vlan: args.vlan, name)
        }
        t.on(.vlanNameDefault) { args, _ throws(CommandFailure) in try setName(sw, vlan: args.vlan, nil) }
        t.on(.showVLAN) { args, ctx throws(CommandFailure) in
            let s = sw.state.withLock { $0 }
            var vlans = s.bridge.vlans.existing.members
            if let only = args.vlan {
                guard s.bridge.vlans.contains(UInt16(only)) else { throw CommandFailure("VLAN \(only) does not exist") }
                vlans = [UInt16(only)]
            }
            ctx.show(VLANReport(sw, s, vlans: vlans))
        }
    }

    private static func setName(_ sw: VMreadySwitch, vlan: Int, _ name: String?) throws(CommandFailure) {
        let vid = UInt16(vlan)
        try sw.configure { (s: inout SwitchState) throws(CommandFailure) in try s.nameVLAN(vid, name) }
    }

    static func stanzas(_ s: SwitchState) -> [ConfigStanza] {
        s.bridge.vlans.existing.members.compactMap { vid in
            let name = s.bridge.vlans.configuredName(of: vid)
            if vid == 1 && name == nil { return nil }
            let body = name.map { ["name " + ConfigText.quoted($0)] } ?? []
            return ConfigStanza(section: .vlans, key: Int(vid), header: "vlan \(vid)", body: body)
        }
    }
}

extension BridgeConfiguration {
    /// Whether `port` carries `vlan` (as the forwarding plan decides): its access VLAN, or on
    /// a trunk an allowed VLAN; either way only a VLAN that exists.
    func carries(port: Int, vlan: UInt16) -> Bool {
        let p = self[port: port]
        guard vlans.contains(vlan) else { return false }
        switch p.mode {
        case .access: return p.accessVLAN == vlan
        case .trunk: return p.trunkAllowedVLANs.contains(vlan)
        }
    }
}

/// Left-aligns `s` in a column of `width` (never truncates).
func pad(_ s: String, _ width: Int) -> String {
    s.count >= width ? s : s + String(repeating: " ", count: width - s.count)
}

/// Right-aligns `s` in a column of `width`.
func padLeft(_ s: String, _ width: Int) -> String {
    s.count >= width ? s : String(repeating: " ", count: width - s.count) + s
}
