import Console
import Foundation
import Frames
import Protocols

/// `show lldp`: LLDP's global settings, the neighbour table's size and limits, then every
/// port as `show lldp port` lists it.
struct LLDPGlobalReport: ShowReport {
    var enabled: Bool
    var transmitIntervalSeconds: Int
    var holdTimeMultiplier: Int
    var timeToLiveSeconds: Int
    var reinitDelaySeconds: Int
    /// The chassis ID the switch sends (subtype MAC address).
    var chassisID: MACAddress
    var systemName: String
    var systemDescription: String
    /// Absent when none is configured.
    var managementAddress: IPv4Address?
    var remoteDevices: Int
    var remoteDevicesPerPortLimit: Int
    var remoteDevicesLimit: Int
    var ports: [LLDPPortReport.Port]

    init(_ view: LLDPAgent.Snapshot) {
        let s = view.settings
        enabled = s.enabled
        transmitIntervalSeconds = s.refreshInterval
        holdTimeMultiplier = s.holdtimeMultiplier
        timeToLiveSeconds = Int(s.timeToLive)
        reinitDelaySeconds = s.reinitDelay
        chassisID = s.chassisMAC
        systemName = s.systemName
        systemDescription = s.systemDescription
        managementAddress = s.managementAddress
        remoteDevices = view.neighbors.entries.count
        remoteDevicesPerPortLimit = view.neighbors.perPortLimit
        remoteDevicesLimit = view.neighbors.totalLimit
        ports = LLDPPortReport(view, ports: Array(1...s.ports.count)).ports
    }

    var lines: [String] {
        [
            "LLDP Global Information",
            "  LLDP status:                   " + (enabled ? "enabled" : "disabled"),
            "  Message transmission interval: \(transmitIntervalSeconds) seconds",
            "  Hold time multiplier:          \(holdTimeMultiplier) (TTL \(timeToLiveSeconds) seconds)",
            "  Reinitialisation delay:        \(reinitDelaySeconds) seconds",
            "  Chassis ID:                    \(chassisID) (MAC address)",
            "  System name:                   " + systemName,
            "  System description:            " + systemDescription,
            "  Management address:            " + (managementAddress.map { $0.description } ?? "none"),
            "  Remote devices:                \(remoteDevices) (at most \(remoteDevicesPerPortLimit) per port, "
                + "\(remoteDevicesLimit) in all)",
            "",
        ] + LLDPPortReport.lines(ports)
    }
}
