import Frames

/// The DCBX values a port runs with, and where each came from: 802.1Qaz's willing logic
/// over what the switch configures and what the peer advertised in its last LLDPDU.
public struct DCBXOperational: Hashable, Sendable {
    public enum Source: Hashable, Sendable { case local, peer }

    public var ets: ETSTables
    public var etsSource: Source
    public var pfcEnabled: UInt8
    public var pfcSource: Source
    public var applications: [ApplicationPriorityEntry]
    public var applicationsSource: Source

    /// ETS is asymmetric: a willing port runs the peer's ETS Recommendation when it sent
    /// one. PFC is symmetric: a willing port runs the peer's PFC configuration unless the
    /// peer is willing too, in which case the side with the lower MAC address gives way
    /// (802.1Qaz 38.2; an unknown peer MAC leaves us on our own). Application priorities
    /// follow the peer's table on a willing port.
    public static func resolve(local: DCBXSettings, port: DCBXSettings.Port, localMAC: MACAddress,
                               peer: LLDPDU?) -> DCBXOperational {
        var operational = DCBXOperational(ets: local.etsTables, etsSource: .local, pfcEnabled: local.pfcBitmap,
                                          pfcSource: .local, applications: local.applications, applicationsSource: .local)
        guard port.willing, let peer else { return operational }
        for case .organizational(let tlv) in peer.tlvs {
            switch tlv {
            case .etsRecommendation(let tables):
                operational.ets = tables
                operational.etsSource = .peer
            case .pfcConfiguration(let pfc):
                var peerMAC: MACAddress?
                if case .macAddress(let mac) = peer.chassisID { peerMAC = mac }
                let yields = !pfc.willing || peerMAC.map { localMAC < $0 } ?? false
                if yields {
                    operational.pfcEnabled = pfc.enabled
                    operational.pfcSource = .peer
                }
            case .applicationPriority(let table):
                operational.applications = table.entries
                operational.applicationsSource = .peer
            default:
                continue
            }
        }
        return operational
    }

    /// The DCBX TLVs a port advertises: ETS Configuration and Recommendation, PFC
    /// Configuration, Application Priority, as its settings ask (none with DCBX off). The
    /// switch supports eight traffic classes and PFC on all eight priorities.
    public static func tlvs(local: DCBXSettings, port: DCBXSettings.Port) -> [LLDPTLV] {
        guard local.enabled else { return [] }
        var tlvs: [LLDPTLV] = []
        if port.advertiseETS {
            tlvs.append(.organizational(.etsConfiguration(ETSConfiguration(willing: port.willing, creditBasedShaper: false,
                                                                           maxTrafficClasses: 8,
                                                                           tables: local.etsTables))))
            tlvs.append(.organizational(.etsRecommendation(local.etsTables)))
        }
        if port.advertisePFC {
            tlvs.append(.organizational(.pfcConfiguration(PFCConfiguration(willing: port.willing, macsecBypassCapability: false,
                                                                            capability: 8, enabled: local.pfcBitmap))))
        }
        if port.advertiseApplications, !local.applications.isEmpty {
            let entries = Array(local.applications.prefix(ApplicationPriority.maxEntries))
            tlvs.append(.organizational(.applicationPriority(ApplicationPriority(entries: entries))))
        }
        return tlvs
    }
}
