import Console
import Dataplane
import Frames
import Protocols

/// CDCP (protocols.md, "CDCP"): on a port with `vnic port P cdcp`, the station asks for
/// S-channels; the switch gives those its enabled vNICs can serve (SCID = vNIC index) and
/// accepts the S-VIDs of the vNICs it gave only — "secure identification".
extension SwitchState {
    /// What port `port` offers a station by CDCP: its enabled vNICs as channels, when vNICs
    /// are on, the port has CDCP and is in switch mode (an I/O extender passes S-tags through
    /// untouched, so there is nothing to negotiate); nil otherwise.
    func cdcpOffer(port: Int) -> CDCPPort? {
        guard bridge.vnicEnabled, vnicCDCPPorts.contains(port), let vnics = bridge.vnicPorts[port],
              vnics.mode == .switch else { return nil }
        return CDCPPort(available: vnics.enabledVNICs.map { CDCPTLV.Channel(scid: UInt16($0.index), svid: $0.vnic.svid) })
    }

    /// On CDCP ports, the vNICs CDCP has not given the station (from its last request and
    /// what the port offers now) take no traffic: their S-VIDs are dropped as not assigned.
    /// Applied to the effective configuration only.
    func restrictToCDCPAssignments(_ effective: inout BridgeConfiguration) {
        for port in vnicCDCPPorts {
            guard let offer = cdcpOffer(port: port), var vnics = effective.vnicPorts[port] else { continue }
            let given = Set(offer.assignments(for: cdcpRequests[port]).map { Int($0.scid) })
            for index in vnics.vnics.keys where !given.contains(index) { vnics.vnics[index]?.isEnabled = false }
            vnics.exclusive = true
            effective.vnicPorts[port] = vnics
        }
    }
}

extension VMreadySwitch {
    /// A neighbour changed on a nearest-customer-bridge agent: on a CDCP port, what its
    /// station asks for now decides which vNICs take traffic. Runs on the control-plane
    /// loop's thread; the change is one `configure` (a publish that never waits).
    func cdcpNeighborChanged(_ event: LLDPAgent.NeighborEvent) {
        guard event.agent == .nearestCustomerBridge else { return }
        let request: CDCPTLV? = switch event.kind {
        case .added, .changed: CDCPPort.request(in: event.neighbor)
        case .removed: nil
        }
        try? configure { (s: inout SwitchState) throws(CommandFailure) in
            guard s.vnicCDCPPorts.contains(event.port) || s.cdcpRequests[event.port] != nil else { return }
            s.cdcpRequests[event.port] = request
        }
    }
}
