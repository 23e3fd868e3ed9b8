import Frames

/// The bridge side of CDCP (802.1Qbg clause 49) on one port: the S-channels the port can
/// give (its vNICs: SCID = the vNIC's index, with its S-VID), and its answer to what the
/// station asked. The answer rides the nearest-customer-bridge LLDPDUs the LLDP agent sends
/// on the port; the S-VIDs it assigns are the only ones the dataplane accepts there.
public struct CDCPPort: Hashable, Sendable {
    /// What the port can give, in the order it gives it.
    public var available: [CDCPTLV.Channel]

    public init(available: [CDCPTLV.Channel]) {
        self.available = available
    }

    /// The station's request in a neighbour's LLDPDU (a CDCP TLV with role S), if any.
    public static func request(in unit: LLDPDU) -> CDCPTLV? {
        for case .organizational(.cdcp(let tlv)) in unit.tlvs where tlv.role == .station { return tlv }
        return nil
    }

    /// Each channel the station asked for that the port can give, with the port's S-VID, in
    /// the station's order (a SCID asked twice counts once); what it cannot give is left out,
    /// which is how CDCP refuses. No request: nothing assigned.
    public func assignments(for request: CDCPTLV?) -> [CDCPTLV.Channel] {
        guard let request else { return [] }
        var given: Set<UInt16> = []
        var out: [CDCPTLV.Channel] = []
        for asked in request.channels where given.insert(asked.scid).inserted {
            if let channel = available.first(where: { $0.scid == asked.scid }) { out.append(channel) }
        }
        return out
    }

    /// The TLV the bridge sends: role B, an S-VLAN component, its capacity (the channels it
    /// can give) and the channels assigned.
    public func answer(to request: CDCPTLV?) -> CDCPTLV {
        CDCPTLV(role: .bridge, sComponent: true, channelCapacity: UInt16(min(available.count, 0xfff)),
                channels: Array(assignments(for: request).prefix(CDCPTLV.maxChannels)))
    }
}
