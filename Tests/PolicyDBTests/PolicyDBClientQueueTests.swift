import Synchronization
import Frames
import PolicyDB
import Testing

/// The client's request queue is bounded: beyond the limit requests are dropped and
/// counted, and a location query dropped is answered at once. The client is not started,
/// so nothing drains the queue and the counts are exact.
struct PolicyDBClientQueueTests {
    @Test func overflowIsDroppedAndCounted() {
        let settings = PolicyDBSettings(uri: "postgresql://vmready@127.0.0.1:1/none", passwordFile: nil,
                                        switchID: "tor-a", hostname: "tor-a", queueLimit: 2)
        let client = PolicyDBClient(settings: settings) { _ in }
        let mac = MACAddress(0x02, 0, 0, 0, 0, 1)
        client.resolve(mac: mac, name: nil, uuid: nil)
        client.recordLocation(VMLocation(mac: mac, name: nil, switchID: "tor-a", port: "1", vlan: nil, since: .now))
        client.removeLocation(mac: mac)
        client.resolve(mac: mac, name: nil, uuid: nil)
        #expect(client.status().queueDrops == 2)
        let answered = Mutex<Result<[VMLocation], PolicyDBError>?>(nil)
        client.query(locations: nil) { result in answered.withLock { $0 = result } }
        // Answered on this thread, before query returned.
        guard case .failure(.down) = answered.withLock({ $0 }) else {
            Issue.record("a dropped query was not answered at once")
            return
        }
        #expect(client.status().queueDrops == 3)
        #expect(client.status().state == .connecting)
    }
}
