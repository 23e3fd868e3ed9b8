import Frames
import Protocols
import SwitchTypes
import Testing

/// The LLDP remote table: keyed by (port, agent, chassis ID, port ID), aged by TTL,
/// bounded per port and in total, every change reported once.
@Suite struct LLDPNeighborTableTests {
    typealias Table = LLDPNeighborTable<String>

    static func key(port: Int, chassis: UInt8, agent: LLDPAgentKind = .nearestBridge) -> Table.Key {
        Table.Key(port: port, agent: agent, chassisID: .macAddress(MACAddress(0x02, 0, 0, 0, 0, chassis)),
                  portID: .interfaceName("eth0"))
    }

    static func at(_ seconds: Int64) -> Timestamp { Timestamp(seconds: seconds) }

    @Test func neighboursAreAddedChangedAndShutDownOnce() {
        var table = Table()
        guard case .added(let entry) = table.heard(Self.key(port: 1, chassis: 1), info: "hv1", ttlSeconds: 120, at: Self.at(0)) else {
            Issue.record("not added")
            return
        }
        #expect(entry.index == 1 && entry.expires == Self.at(120))
        // The same again: only its expiry moves.
        let again = table.heard(Self.key(port: 1, chassis: 1), info: "hv1", ttlSeconds: 120, at: Self.at(30))
        #expect(again == nil)
        #expect(table.entries[Self.key(port: 1, chassis: 1)]?.expires == Self.at(150))
        guard case .changed(let changed) = table.heard(Self.key(port: 1, chassis: 1), info: "hv1 renamed", ttlSeconds: 120,
                                                       at: Self.at(60)) else {
            Issue.record("not changed")
            return
        }
        #expect(changed.index == 1 && changed.info == "hv1 renamed")
        guard case .removed(_, .shutdown) = table.heard(Self.key(port: 1, chassis: 1), info: "hv1", ttlSeconds: 0,
                                                        at: Self.at(61)) else {
            Issue.record("not removed by TTL 0")
            return
        }
        #expect(table.entries.isEmpty)
        #expect(table.counters[1].map { [$0.inserts, $0.deletes, $0.drops, $0.ageouts] } == [1, 1, 0, 0])
        // A TTL 0 from a stranger changes nothing.
        let stranger = table.heard(Self.key(port: 1, chassis: 9), info: "x", ttlSeconds: 0, at: Self.at(62))
        #expect(stranger == nil)
    }

    @Test func neighboursAgeOutByTheirOwnTTL() {
        var table = Table()
        _ = table.heard(Self.key(port: 1, chassis: 1), info: "a", ttlSeconds: 120, at: Self.at(0))
        _ = table.heard(Self.key(port: 2, chassis: 2), info: "b", ttlSeconds: 4, at: Self.at(0))
        #expect(table.nextExpiry == Self.at(4))
        #expect(table.expire(at: Self.at(3)).isEmpty)
        let gone = table.expire(at: Self.at(4))
        #expect(gone.count == 1)
        if case .removed(let entry, .agedOut) = gone.first { #expect(entry.info == "b") } else { Issue.record("\(gone)") }
        #expect(table.counters[2]?.ageouts == 1)
        #expect(table.nextExpiry == Self.at(120))
    }

    @Test func theTableIsBoundedPerPortAndInTotalAndCountsWhatItRefuses() {
        var table = Table(perPortLimit: 3, totalLimit: 5)
        for chassis in 0..<10 { _ = table.heard(Self.key(port: 1, chassis: UInt8(chassis)), info: "", ttlSeconds: 120, at: Self.at(0)) }
        #expect(table.entries.count == 3)
        #expect(table.counters[1]?.drops == 7)
        for chassis in 0..<10 { _ = table.heard(Self.key(port: 2, chassis: UInt8(chassis)), info: "", ttlSeconds: 120, at: Self.at(0)) }
        #expect(table.entries.count == 5)
        #expect(table.counters[2]?.drops == 8)
        // A known neighbour is always refreshed, full or not; room made is room taken.
        let refreshed = table.heard(Self.key(port: 1, chassis: 0), info: "new", ttlSeconds: 120, at: Self.at(1))
        #expect(refreshed != nil)
        _ = table.removeAll(port: 1)
        let admitted = table.heard(Self.key(port: 2, chassis: 9), info: "", ttlSeconds: 120, at: Self.at(2))
        #expect(admitted != nil)
    }

    @Test func agentsAreSeparateNeighboursAndIndexesAreNotReused() {
        var table = Table()
        _ = table.heard(Self.key(port: 1, chassis: 1), info: "", ttlSeconds: 120, at: Self.at(0))
        _ = table.heard(Self.key(port: 1, chassis: 1, agent: .nearestCustomerBridge), info: "", ttlSeconds: 120, at: Self.at(0))
        #expect(table.sorted.map(\.key.agent) == [.nearestBridge, .nearestCustomerBridge])
        _ = table.removeAll(port: 1)
        guard case .added(let again) = table.heard(Self.key(port: 1, chassis: 1), info: "", ttlSeconds: 120, at: Self.at(5)) else {
            Issue.record("not added")
            return
        }
        #expect(again.index == 3)
        #expect(LLDPAgentKind(address: LLDPAgentKind.nearestCustomerBridge.address) == .nearestCustomerBridge)
        #expect(LLDPAgentKind.allCases.map(\.label) == ["NB", "NnTB", "NCB"])
    }
}

extension LLDPNeighborTable.Change: Equatable where Info: Equatable {
    public static func == (a: Self, b: Self) -> Bool {
        switch (a, b) {
        case (.added(let x), .added(let y)), (.changed(let x), .changed(let y)): x.key == y.key && x.info == y.info
        case (.removed(let x, let r), .removed(let y, let s)): x.key == y.key && r == s
        default: false
        }
    }
}
