import Frames

/// The DCBX TLVs of a peer's LLDPDU (the last of each kind, should it repeat one).
struct PeerDCBX {
    var configuration: ETSConfiguration?
    var recommendation: ETSTables?
    var pfc: PFCConfiguration?
    var applications: ApplicationPriority?

    init() {}

    init(unit: LLDPDU) {
        for case .organizational(let tlv) in unit.tlvs {
            switch tlv {
            case .etsConfiguration(let value): configuration = value
            case .etsRecommendation(let value): recommendation = value
            case .pfcConfiguration(let value): pfc = value
            case .applicationPriority(let value): applications = value
            default: continue
            }
        }
    }

    var isEmpty: Bool { configuration == nil && recommendation == nil && pfc == nil && applications == nil }
}
