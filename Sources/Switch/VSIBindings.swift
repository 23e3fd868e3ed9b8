import Console
import Dispatch
import Foundation
import Frames
import Protocols
import Virtualization

/// A VSI interface the hypervisor associated by VDP, as the VM layer takes it: its MAC on a
/// port, in its VID, of a VSI type.
struct VSIBinding: Hashable, Sendable {
    let port: Int
    let typeID: Int
    let version: Int
    let vid: UInt16
    let state: VSI.State

    /// The switch-made VM group a binding belongs to: one per (type, VID).
    struct GroupKey: Hashable, Comparable {
        let typeID: Int
        let version: Int
        let vid: UInt16

        static func < (a: GroupKey, b: GroupKey) -> Bool { (a.typeID, a.version, a.vid) < (b.typeID, b.version, b.vid) }
    }

    var groupKey: GroupKey { GroupKey(typeID: typeID, version: version, vid: vid) }
}

extension SwitchState {
    /// Associated VSIs as VM groups the switch makes (`VMGroup.implicitRange`): one per VSI
    /// type and VID, in that VID (tagged: the station tags the VSI's frames) with the type's
    /// VM profile. Laid over `virt` in `effectiveVirt`, never in the running-config.
    /// Returns how many groups it made. A type the switch does not define may come from the
    /// policy database (`policyDBVSIType`).
    @discardableResult
    func applyVSIGroups(_ virt: inout VirtConfiguration) -> Int {
        let byGroup = Dictionary(grouping: vsiBindings, by: \.value.groupKey)
        var made = 0
        for (offset, key) in byGroup.keys.sorted().enumerated() {
            let number = VMGroup.implicitRange.lowerBound + offset
            guard VMGroup.implicitRange.contains(number) else { break }
            let typeKey = EVBConfiguration.VSITypeKey(id: key.typeID, version: key.version)
            let profile = evb.vsiTypes[typeKey] != nil ? evb.vsiTypes[typeKey]?.profile : policyDBVSIType(typeKey)?.profile
            virt.setImplicitGroup(number, vlan: key.vid, tagged: true, profile: profile,
                                  members: byGroup[key]!.map(\.key).sorted())
            made += 1
        }
        return made
    }
}

extension VMreadySwitch {
    /// What VDP did (from the EVB agent, on the control-plane thread): handed to the VDP queue.
    func vdpEvent(_ event: VDPEvent) {
        vdpQueue.async { [weak self] in self?.handle(event) }
    }

    /// An association places the VSI's MACs as VMs on the port with their type's policy,
    /// before their first frame; a de-association, a keep-alive timeout or a removal takes
    /// the policy away.
    private func handle(_ event: VDPEvent) {
        let vsi = event.vsi
        let filters = vsi.filters.filter { $0.mac.rawValue != 0 && !$0.mac.isMulticast }
        let time = dataplane.clock.now()
        let date = Date(timeIntervalSince1970: Double(time.nanoseconds) / 1e9)
        let what = "VSI \(vsi.id) (type \(vsi.typeID) version \(vsi.typeVersion), "
            + filters.map { "\($0.mac) VID \($0.vid)" }.joined(separator: ", ") + ") on port \(vsi.port)"
        switch event.kind {
        case .associated, .preAssociated, .preAssociatedWithReservation:
            let binding = { (filter: VSITLV.Filter) in
                VSIBinding(port: vsi.port, typeID: Int(vsi.typeID), version: Int(vsi.typeVersion), vid: filter.vid, state: vsi.state)
            }
            try? configure { (s: inout SwitchState) throws(CommandFailure) in
                for filter in filters { s.vsiBindings[filter.mac] = binding(filter) }
            }
            let batch = vms.announce(filters.map { ($0.mac, vsi.port, $0.vid, "VSI type \(vsi.typeID) version \(vsi.typeVersion)") },
                                     at: time)
            dataplane.expectStations(filters.map(\.mac), on: vsi.port)
            policyDB.vmsChanged(filters.map(\.mac))
            eventLog.log(.notice, "vdp", what + " " + vsi.state.rawValue, at: date)
            for case .moved(let move) in batch.events {
                eventLog.log(.notice, "virt", "VM \(move.mac) moved from port \(move.from) to port \(move.to) (VDP)", at: date,
                             mac: move.mac, port: move.to.description)
            }
        case .deAssociated, .timedOut, .removed:
            // A VSI the hypervisor has since associated on another port (a move) stays there:
            // only what this port still holds goes.
            let macs = filters.map(\.mac)
            var gone: [MACAddress] = []
            try? configure { (s: inout SwitchState) throws(CommandFailure) in
                gone = macs.filter { s.vsiBindings[$0]?.port == vsi.port }
                for mac in gone { s.vsiBindings[mac] = nil }
            }
            if !gone.isEmpty { dataplane.withdrawStations(gone) }
            let why = switch event.kind {
            case .deAssociated: "de-associated"
            case .timedOut: "timed out (no keep-alive)"
            default: "removed"
            }
            eventLog.log(event.kind == .timedOut ? .warning : .notice, "vdp", what + " " + why, at: date)
        }
    }
}
