import Frames
import Testing

/// The EVB TLV, ECPDUs and VDP TLVs lldpad sent, decoded to what vdptool and lldptool were
/// told and encoded back byte for byte.
@Suite struct EVBCodecTests {
    @Test func corpusIsThere() {
        #expect(EVBCorpus.frames.count == 18)
        #expect(EVBCorpus.frames.allSatisfy { !$0.bytes.isEmpty })
    }

    /// The LLDPDU and its EVB TLV of a captured nearest-customer-bridge frame.
    func evb(_ name: String, from source: MACAddress) throws -> (LLDPDU, EVBTLV) {
        let frame = EVBCorpus.frame(name)
        try #require(frame.count == 60)
        #expect(Array(frame[0..<14]) == MACAddress.lldpNearestCustomerBridge.octets + source.octets + [0x88, 0xcc])
        let unit = try LLDPDU(decoding: Array(frame[14...]))
        let tlv = try #require(EVBTLV.first(in: unit.tlvs))
        #expect(try unit.frame(source: source, destination: .lldpNearestCustomerBridge) == frame, "\(name) re-encodes")
        return (unit, tlv)
    }

    @Test func lldpadBridgeEVBTLVs() throws {
        let (_, initial) = try evb("lldp-bridge-initial", from: EVBCorpus.bridge)
        #expect(initial == EVBTLV(bridgeStatus: .reflectiveRelayCapable, retries: 3, retransmitExponent: 8, mode: .bridge,
                                  resourceWaitDelay: 20, reinitKeepAlive: 20))
        let (_, negotiated) = try evb("lldp-bridge-negotiated", from: EVBCorpus.bridge)
        #expect(negotiated.bridgeStatus == [.reflectiveRelayCapable, .reflectiveRelayControlled])
        #expect(negotiated.stationStatus.rawValue == 0x07)
        #expect(negotiated.resourceWaitDelayRemote && negotiated.reinitKeepAliveRemote)
        #expect(negotiated.information == [0x03, 0x07, 0x68, 0x74, 0x34])
    }

    @Test func lldpadStationEVBTLVs() throws {
        let (unit, station) = try evb("lldp-station", from: EVBCorpus.station)
        #expect(unit.chassisID == .macAddress(EVBCorpus.station))
        #expect(station.mode == .station)
        #expect(station.stationStatus.contains(.reflectiveRelayRequested))
        #expect(station.stationStatus.reflectiveRelayStatus == 3)
        #expect(station.bridgeStatus.isEmpty)
        #expect((station.retries, station.retransmitExponent, station.resourceWaitDelay, station.reinitKeepAlive) == (3, 8, 20, 20))
        #expect(!station.resourceWaitDelayRemote)
        let (_, later) = try evb("lldp-station-negotiated", from: EVBCorpus.station)
        #expect(later.stationStatus.reflectiveRelayStatus == 1)
        #expect(later.bridgeStatus == [.reflectiveRelayCapable, .reflectiveRelayControlled])
        #expect(later.resourceWaitDelayRemote && later.reinitKeepAliveRemote)
        let (_, echo) = try evb("lldp-bridge-later", from: EVBCorpus.bridge)
        #expect(echo.stationStatus == later.stationStatus)
    }

    @Test func evbTLVAtAnotherLengthIsAnError() throws {
        for length in [0, 4, 6] {
            #expect(throws: LLDPDecodingError.self) {
                try EVBTLV(.unknown(oui: LLDPOrganizationalTLV.ieee8021, subtype: 0x0d, value: Array(repeating: 0, count: length)))
            }
        }
        #expect(try EVBTLV(.portVLANID(1)) == nil)
    }

    @Test func ecpAcksAndRequestsReencode() throws {
        for (name, frame) in EVBCorpus.frames where name.hasPrefix("ecp-") {
            let pdu = try ECPDU(decodingFrame: frame)
            let source = MACAddress(rawValue: frame[6..<12].reduce(0) { $0 << 8 | UInt64($1) })
            #expect(pdu.frame(source: source) == frame, "\(name)")
            #expect(pdu.version == 1 && pdu.subtype == ECPDU.vdpSubtype, "\(name)")
            #expect(pdu.operation == (name.hasSuffix("-ack") ? .acknowledgement : .request), "\(name)")
        }
        let ack = try ECPDU(decodingFrame: EVBCorpus.frame("ecp-preassoc-ack"))
        #expect(ack == ECPDU(operation: .acknowledgement, sequence: 1))
        #expect(try ECPDU(decodingFrame: EVBCorpus.frame("ecp-keepalive-request")).sequence == 9)
    }

    /// A frame's VDPDU, checked to re-encode to the same payload.
    func vdp(_ name: String) throws -> (manager: VDPIdentifier, vsi: VSITLV) {
        let pdu = try ECPDU(decodingFrame: EVBCorpus.frame(name))
        let unit = try VDPDU(decoding: pdu.payload)
        #expect(try unit.encode() == pdu.payload, "\(name) re-encodes")
        try #require(unit.tlvs.count == 2)
        guard case .managerID(let manager) = unit.tlvs[0], case .vsi(let vsi) = unit.tlvs[1] else {
            Issue.record("\(name): Manager ID then VSI expected")
            throw VDPDecodingError.unknownType(0, offset: 0)
        }
        return (manager, vsi)
    }

    @Test func lldpadVDPRequestsDecode() throws {
        let cases: [(String, VSITLV.Request, Int, VSITLV.Filter)] = [
            ("ecp-preassoc-request", .preAssociate, 1, .init(vid: 100, mac: MACAddress("52:54:00:8e:aa:11")!)),
            ("ecp-preassoc-rr-request", .preAssociateWithReservation, 2, .init(vid: 0, mac: MACAddress("52:54:00:8e:aa:12")!)),
            ("ecp-assoc-request", .associate, 3, .init(vid: 100, mac: MACAddress("52:54:00:8e:aa:13")!)),
            ("ecp-keepalive-request", .preAssociate, 1, .init(vid: 100, mac: MACAddress("52:54:00:8e:aa:11")!)),
            ("ecp-deassoc-request", .deAssociate, 3, .init(vid: 100, mac: MACAddress("52:54:00:8e:aa:13")!)),
        ]
        for (name, request, uuid, filter) in cases {
            let (manager, vsi) = try vdp(name)
            #expect(manager == EVBCorpus.manager && manager.description == "mgr1", "\(name)")
            #expect(vsi == VSITLV(request: request, typeID: 4711, typeVersion: 1, id: EVBCorpus.uuid(uuid),
                                  filterFormat: .macVID, filters: [filter]), "\(name)")
            #expect(!vsi.status.isResponse, "\(name)")
        }
        let (_, vidOnly) = try vdp("ecp-assoc-vid-request")
        #expect(vidOnly.filterFormat == .vid && vidOnly.filters == [.init(vid: 200)] && vidOnly.length == 27)
        #expect(EVBCorpus.uuid(3).uuidText == "a1412857-60f7-4ce1-e95a-2164943f53a3")
    }

    @Test func lldpadBridgeResponsesAreTheRequestsWithTheAckBit() throws {
        for kind in ["preassoc", "preassoc-rr", "assoc", "assoc-vid", "deassoc"] {
            let (manager, asked) = try vdp("ecp-\(kind)-request")
            var request = asked
            let (answerManager, response) = try vdp("ecp-\(kind)-response")
            #expect(response.status == .response() && response.status.rawValue == 0x40 && response.status.error == .success)
            request.status = .response()
            #expect(answerManager == manager && response == request, "\(kind)")
        }
    }

    @Test func everyFilterFormatRoundTrips() throws {
        let filters = [VSITLV.Filter(vid: 4094, mac: MACAddress("02:00:00:00:00:01")!, groupID: 0xdead_beef,
                                     prioritySignificant: true, priority: 5),
                       VSITLV.Filter(vid: 1, mac: MACAddress("02:00:00:00:00:02")!, groupID: 7)]
        for format in [VSITLV.FilterFormat.vid, .macVID, .groupVID, .groupMACVID] {
            let kept = filters.map { filter -> VSITLV.Filter in
                var f = filter
                if format == .vid || format == .groupVID { f.mac = .zero }
                if format == .vid || format == .macVID { f.groupID = 0 }
                return f
            }
            let tlv = VSITLV(request: .associate, status: .response(.insufficientResources, keep: true), typeID: 0xabcdef,
                             typeVersion: 9, id: EVBCorpus.uuid(1), filterFormat: format, filters: kept)
            let unit = VDPDU(tlvs: [.managerID(EVBCorpus.manager), .vsi(tlv), .organizational(oui: 0x00000c, value: [1, 2, 3])])
            let bytes = try unit.encode()
            #expect(bytes.count == 2 + 16 + 2 + 25 + kept.count * format.entryLength + 2 + 6)
            #expect(try VDPDU(decoding: bytes) == unit, "\(format)")
            #expect(try VDPDU(decoding: bytes + [0, 0, 0, 0]) == unit, "zero padding ends it")
        }
        let status = VSITLV.Status.response(.otherFailure, hard: true, keep: true)
        #expect(status.rawValue == 0x74 && status.error == .otherFailure)
    }

    @Test func malformedVDPIsATypedError() {
        let good = (try? ECPDU(decodingFrame: EVBCorpus.frame("ecp-assoc-request")).payload) ?? []
        var badFormat = good
        badFormat[18 + 2 + 22] = 9
        #expect(throws: VDPDecodingError.unknownFilterFormat(9, offset: 18)) { try VDPDU(decoding: badFormat) }
        var badCount = good
        badCount[18 + 2 + 24] = 2
        #expect(throws: VDPDecodingError.badLength(type: 3, offset: 18, length: 33)) { try VDPDU(decoding: badCount) }
        #expect(throws: VDPDecodingError.unknownType(6, offset: 0)) { try VDPDU(decoding: [0x0c, 0x00]) }
        #expect(throws: VDPDecodingError.badLength(type: 5, offset: 0, length: 1)) { try VDPDU(decoding: [0x0a, 0x01, 0]) }
        #expect(throws: ECPDecodingError.unknownOperation(2)) { try ECPDU(decoding: [0x18, 0x01, 0, 1]) }
        #expect(throws: ECPDecodingError.truncated(length: 3)) { try ECPDU(decoding: [0x10, 0x01, 0]) }
    }
}
