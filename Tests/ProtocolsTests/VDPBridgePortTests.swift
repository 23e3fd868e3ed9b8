import FrameTestSupport
import Frames
import Protocols
import SwitchTypes
import Testing

/// VDP's bridge side on one port: each request kind answered as lldpad's own bridge answers
/// it, negative responses, and the keep-alive timeout, on fake time.
@Suite struct VDPBridgePortTests {
    static let manager = VDPIdentifier(name: "mgr1")!
    /// Type 4711 version 1 with no VLAN of its own: the station's VIDs stand.
    static let anyVLAN = LocalVSITypeDatabase(types: [.init(typeID: 4711, version: 1): VSIType(profile: "web")])
    /// The same type on VLAN 100.
    static let vlan100 = LocalVSITypeDatabase(types: [.init(typeID: 4711, version: 1): VSIType(vlan: 100, profile: "web")])

    static func at(_ seconds: Int64) -> Timestamp { Timestamp(seconds: seconds) }

    static func payload(_ name: String) throws -> [UInt8] { try LLDPadEVBFrames.ecp(name).payload }

    static func request(_ kind: VSITLV.Request, uuid: Int = 1, filters: [VSITLV.Filter] = [.init(vid: 100, mac: MACAddress("52:54:00:8e:aa:11")!)],
                        typeID: UInt32 = 4711, format: VSITLV.FilterFormat = .macVID) -> [UInt8] {
        let vsi = VSITLV(request: kind, typeID: typeID, typeVersion: 1,
                         id: VDPIdentifier(uuid: "a1412857-60f7-4ce1-e95a-2164943f53a\(uuid)")!, filterFormat: format, filters: filters)
        return (try? VDPDU(tlvs: [.managerID(manager), .vsi(vsi)]).encode()) ?? []
    }

    /// The single VSI TLV of a response.
    static func response(_ bytes: [UInt8]) throws -> VSITLV {
        let unit = try VDPDU(decoding: bytes)
        try #require(unit.tlvs.count == 2)
        #expect(unit.tlvs[0] == .managerID(manager))
        guard case .vsi(let vsi) = unit.tlvs[1] else { throw VDPDecodingError.unknownType(0, offset: 0) }
        return vsi
    }

    @Test func answersEachRequestKindByteForByteAsLLDPadsBridge() throws {
        var vdp = VDPBridgePort(port: 3)
        for kind in ["preassoc", "assoc", "assoc-vid", "deassoc"] {
            let outcome = vdp.receive(try Self.payload("ecp-\(kind)-request"), at: Self.at(1), types: Self.anyVLAN)
            #expect(outcome.responses == [try Self.payload("ecp-\(kind)-response")], "\(kind)")
        }
        #expect(vdp.counters.requests == 4 && vdp.counters.accepted == 4)
    }

    @Test func eventsAndTableFollowTheRequests() throws {
        var vdp = VDPBridgePort(port: 3)
        var events = vdp.receive(try Self.payload("ecp-preassoc-request"), at: Self.at(1), types: Self.anyVLAN).events
        #expect(events.map(\.kind) == [.preAssociated])
        let vsi = try #require(events.first?.vsi)
        #expect(vsi.port == 3 && vsi.managerID == Self.manager && vsi.typeID == 4711 && vsi.typeVersion == 1)
        #expect(vsi.id.uuidText == "a1412857-60f7-4ce1-e95a-2164943f53a1" && vsi.type.profile == "web")
        #expect(vsi.filters == [.init(vid: 100, mac: MACAddress("52:54:00:8e:aa:11")!)])
        // Pre-associated, then associated: one VSI, now associated.
        events = vdp.receive(Self.request(.associate), at: Self.at(2), types: Self.anyVLAN).events
        #expect(events.map(\.kind) == [.associated] && vdp.vsis.count == 1 && vdp.vsis.values.first?.state == .associated)
        // The keep-alive (the same request) refreshes without news.
        events = vdp.receive(Self.request(.associate), at: Self.at(12), types: Self.anyVLAN).events
        #expect(events.isEmpty && vdp.vsis.values.first?.lastRefresh == Self.at(12))
        events = vdp.receive(Self.request(.deAssociate), at: Self.at(13), types: Self.anyVLAN).events
        #expect(events.map(\.kind) == [.deAssociated] && vdp.vsis.isEmpty)
        // De-associating what is not there succeeds, silently.
        let again = vdp.receive(Self.request(.deAssociate), at: Self.at(14), types: Self.anyVLAN)
        #expect(again.events.isEmpty)
        #expect(try Self.response(again.responses[0]).status == .response())
    }

    @Test func reservationIsItsOwnState() throws {
        var vdp = VDPBridgePort(port: 1)
        let outcome = vdp.receive(try Self.payload("ecp-preassoc-rr-request"), at: Self.at(1), types: Self.vlan100)
        #expect(outcome.events.map(\.kind) == [.preAssociatedWithReservation])
        #expect(vdp.vsis.values.first?.state == .preAssociatedWithReservation)
    }

    @Test func vidZeroIsFilledFromTheTypesVLANAndNothingElseChanges() throws {
        var vdp = VDPBridgePort(port: 1)
        let request = try Self.payload("ecp-preassoc-rr-request")
        let outcome = vdp.receive(request, at: Self.at(1), types: Self.vlan100)
        let bytes = try #require(outcome.responses.first)
        // Same length, same octets but the status and the VID's low octet (0 -> 100).
        #expect(bytes.count == request.count)
        let changed = bytes.indices.filter { bytes[$0] != request[$0] }
        #expect(changed == [20, request.count - 1])
        #expect(bytes[20] == 0x40 && bytes[request.count - 1] == 100)
        #expect(vdp.vsis.values.first?.filters.first?.vid == 100)
    }

    @Test func negativeResponsesCarryTheRightCodeAndApplyNothing() throws {
        var vdp = VDPBridgePort(port: 1, maxVSIs: 1, allowedVLANs: [100, 200])
        func status(_ bytes: [UInt8], _ types: LocalVSITypeDatabase) throws -> VSITLV.Status {
            let outcome = vdp.receive(bytes, at: Self.at(1), types: types)
            #expect(outcome.events.isEmpty)
            return try Self.response(try #require(outcome.responses.first)).status
        }
        // Unknown type: other failure, hard.
        #expect(try status(Self.request(.associate, typeID: 99), Self.anyVLAN) == .response(.otherFailure, hard: true))
        // VID 0 with a type without a VLAN; a VID the type is not on; a VLAN the port does not carry; a group MAC.
        #expect(try status(Self.request(.associate, filters: [.init(vid: 0, mac: MACAddress("52:54:00:8e:aa:11")!)]),
                           Self.anyVLAN) == .response(.invalidVIDGroupOrMAC, hard: true))
        #expect(try status(Self.request(.associate, filters: [.init(vid: 200, mac: MACAddress("52:54:00:8e:aa:11")!)]),
                           Self.vlan100) == .response(.invalidVIDGroupOrMAC, hard: true))
        #expect(try status(Self.request(.associate, filters: [.init(vid: 300, mac: MACAddress("52:54:00:8e:aa:11")!)]),
                           Self.anyVLAN) == .response(.invalidVIDGroupOrMAC, hard: true))
        #expect(try status(Self.request(.associate, filters: [.init(vid: 100, mac: MACAddress("01:00:5e:00:00:01")!)]),
                           Self.anyVLAN) == .response(.invalidVIDGroupOrMAC, hard: true))
        // No filters: invalid format.
        #expect(try status(Self.request(.associate, filters: []), Self.anyVLAN) == .response(.invalidFormat, hard: true))
        #expect(vdp.vsis.isEmpty && vdp.counters.rejected == 6)
        // One VSI fits; a second does not (insufficient resources, not hard: it may fit later).
        #expect(vdp.receive(Self.request(.associate), at: Self.at(2), types: Self.anyVLAN).events.count == 1)
        #expect(try status(Self.request(.associate, uuid: 2), Self.anyVLAN) == .response(.insufficientResources))
        // A failed change to an existing VSI keeps it (keep bit) as it was.
        #expect(try status(Self.request(.associate, typeID: 99), Self.anyVLAN) == .response(.otherFailure, hard: true, keep: true))
        let key = VSI.Key(managerID: Self.manager, id: VDPIdentifier(uuid: "a1412857-60f7-4ce1-e95a-2164943f53a1")!)
        #expect(vdp.vsis[key]?.typeID == 4711 && vdp.vsis.count == 1)
    }

    @Test func failedChangeOfAnExistingVSISetsKeep() throws {
        var vdp = VDPBridgePort(port: 1, allowedVLANs: [100])
        _ = vdp.receive(Self.request(.associate), at: Self.at(1), types: Self.anyVLAN)
        let outcome = vdp.receive(Self.request(.associate, filters: [.init(vid: 300, mac: MACAddress("52:54:00:8e:aa:11")!)]),
                                  at: Self.at(2), types: Self.anyVLAN)
        #expect(try Self.response(outcome.responses[0]).status == .response(.invalidVIDGroupOrMAC, hard: true, keep: true))
        #expect(vdp.vsis.values.first?.filters.first?.vid == 100)
    }

    @Test func unrefreshedVSITimesOut() throws {
        var vdp = VDPBridgePort(port: 2, keepAliveTimeout: 16_000_000_000)
        _ = vdp.receive(Self.request(.associate, uuid: 1), at: Self.at(0), types: Self.anyVLAN)
        _ = vdp.receive(Self.request(.preAssociate, uuid: 2), at: Self.at(5), types: Self.anyVLAN)
        #expect(vdp.nextDeadline == Self.at(16))
        // VSI 1 is refreshed at 10 s; VSI 2 is not.
        _ = vdp.receive(Self.request(.associate, uuid: 1), at: Self.at(10), types: Self.anyVLAN)
        #expect(vdp.nextDeadline == Self.at(21))
        #expect(vdp.expire(at: Timestamp(nanoseconds: 20_999_999_999)).isEmpty)
        let expired = vdp.expire(at: Self.at(21))
        #expect(expired.map(\.kind) == [.timedOut] && expired.first?.vsi.id.uuidText.hasSuffix("53a2") == true)
        #expect(vdp.vsis.count == 1 && vdp.counters.timedOut == 1 && vdp.nextDeadline == Self.at(26))
        #expect(vdp.removeAll().map(\.kind) == [.removed] && vdp.vsis.isEmpty && vdp.nextDeadline == nil)
    }

    @Test func malformedAndManagerlessRequestsAreDroppedAndCounted() throws {
        var vdp = VDPBridgePort(port: 1)
        let request = Self.request(.associate)
        #expect(vdp.receive(Array(request.prefix(30)), at: Self.at(0), types: Self.anyVLAN).responses.isEmpty)
        #expect(vdp.receive(Array(request.dropFirst(18)), at: Self.at(0), types: Self.anyVLAN).responses.isEmpty)
        #expect(vdp.counters.malformed == 2 && vdp.counters.requests == 0)
    }
}
