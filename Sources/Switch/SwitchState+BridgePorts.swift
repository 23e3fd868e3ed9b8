import Console
import Dataplane
import SwitchTypes

/// What `interface port LIST` names: physical ports and configured vNICs (`P.I`), each with
/// its own switchport settings (switching.md, "vNICs": a vNIC is a bridge port of its own).
extension SwitchState {
    /// A physical port of this switch, or a vNIC that is configured (`vnic port P index I`).
    func requireBridgePort(_ port: BridgePort) throws(CommandFailure) {
        try requirePort(port.port)
        if let index = port.vnic, bridge.vnicPorts[port.port]?.vnics[index] == nil {
            throw CommandFailure("vNIC \(port) is not configured (vnic port \(port.port) index \(index))")
        }
    }

    /// The switchport settings of a port or vNIC that `requireBridgePort` accepted.
    func switchport(_ port: BridgePort) -> PortConfiguration {
        guard let index = port.vnic else { return bridge[port: port.port] }
        return bridge.vnicPorts[port.port]!.vnics[index]!.switchport
    }

    /// Changes the switchport settings of a port or vNIC that `requireBridgePort` accepted.
    mutating func editSwitchport(_ port: BridgePort, _ change: (inout PortConfiguration) throws(CommandFailure) -> Void)
        throws(CommandFailure) {
        if let index = port.vnic {
            try editVNIC(port: port.port, index: index, create: false) { v throws(CommandFailure) in try change(&v.switchport) }
        } else {
            try change(&bridge[port: port.port])
        }
    }

    /// The description of a port or vNIC.
    func description(of port: BridgePort) -> String? {
        port.isVNIC ? vnicDescriptions[port] : descriptions[port.port - 1]
    }

    mutating func setDescription(_ text: String?, of port: BridgePort) {
        if port.isVNIC { vnicDescriptions[port] = text } else { descriptions[port.port - 1] = text }
    }

    /// Every port and configured vNIC, a port before its vNICs.
    var allBridgePorts: [BridgePort] {
        (1...bridge.portCount).flatMap { port in
            [BridgePort(port: port)] + (bridge.vnicPorts[port]?.vnics.keys.sorted() ?? []).map { BridgePort(port: port, vnic: $0) }
        }
    }

    /// The ports and vNICs ACL `number` is applied to.
    func bridgePorts(applying number: Int) -> [BridgePort] {
        allBridgePorts.filter { switchport($0).acls.contains(number) }
    }

    /// A port's or vNIC's `mac-address-table limit ... port`, nil for none.
    func macLimit(of port: BridgePort) -> Int? {
        guard let index = port.vnic else { return bridge.macPortLimits[port.port] }
        return bridge.vnicPorts[port.port]?.vnics[index]?.macLimit
    }

    /// Every port's and vNIC's limit, a port before its vNICs.
    var macLimits: [(port: BridgePort, limit: Int)] {
        allBridgePorts.compactMap { p in macLimit(of: p).map { (p, $0) } }
    }

    /// Sets (nil: removes) the limit of a port or configured vNIC (a vNIC's goes with it).
    mutating func setMACLimit(_ limit: Int?, of port: BridgePort) throws(CommandFailure) {
        try requireBridgePort(port)
        if let index = port.vnic {
            try editVNIC(port: port.port, index: index, create: false) { $0.macLimit = limit }
        } else {
            bridge.macPortLimits[port.port] = limit
        }
    }
}
