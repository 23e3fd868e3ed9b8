import Foundation
import Synchronization
import Frames
import PolicyDB
import Testing
import TestSupport

@Suite(.postgres, postgresAvailable)
struct PolicyNotifyTests {
    /// Waits for notifications on `listener` until `count` arrived (bounded: a lost
    /// notification fails the test instead of hanging it).
    func changes(_ listener: PolicyConnection, count: Int) throws -> [PolicyChange] {
        var received: [PolicyChange] = []
        for _ in 0..<60 where received.count < count {
            received += try listener.waitForNotifications(timeout: .seconds(1))
        }
        return received
    }

    @Test func changesReachASecondClient() throws {
        let (server, editor, uri, name) = try SharedPostgres.connection()
        let listener = try PolicyConnection(uri: uri, passwordFile: server.passwordFile)
        try listener.listen()
        try editor.putProfile(PolicyProfile(name: "web", vlan: 10))
        try editor.assign(.name("vm1"), profile: "web")
        try editor.putVSIType(VSITypeRow(typeID: 5, version: 1, profile: "web"))
        #expect(try changes(listener, count: 3) == [PolicyChange(table: .profiles, key: "web"),
                                                    PolicyChange(table: .assignments, key: "name vm1"),
                                                    PolicyChange(table: .vsiTypes, key: "5 1")])
        // An operator's psql is announced the same way.
        try server.psql("UPDATE profiles SET vlan = 11 WHERE name = 'web'", database: name)
        #expect(try changes(listener, count: 1) == [PolicyChange(table: .profiles, key: "web")])
        try server.psql("TRUNCATE assignments", database: name)
        #expect(try changes(listener, count: 1) == [PolicyChange(table: .assignments, key: nil)])
    }

    @Test func clientDeliversConnectedVSITypesAndChanges() throws {
        let (server, editor, uri, _) = try SharedPostgres.connection()
        try editor.putProfile(PolicyProfile(name: "web", vlan: 10))
        try editor.putVSIType(VSITypeRow(typeID: 7, version: 0, profile: "web"))
        let mac = MACAddress(0x02, 0, 0, 0, 0, 7)
        try editor.assign(.mac(mac), profile: "web")
        let events = EventRecorder()
        let client = PolicyDBClient(settings: PolicyDBSettings(uri: uri, passwordFile: server.passwordFile, switchID: "tor-a",
                                                               hostname: "tor-a"), deliver: events.deliver)
        client.start()
        defer { client.stop() }
        #expect(events.wait { $0 == .connected(schemaVersion: PolicyConnection.schemaVersion) } != nil)
        #expect(events.wait { $0 == .vsiTypes([VSITypeRow(typeID: 7, version: 0, profile: "web")],
                                              profiles: ["web": PolicyProfile(name: "web", vlan: 10)]) } != nil)
        client.resolve(mac: mac, name: "vm7", uuid: nil)
        #expect(events.wait { $0 == .resolved(mac: mac, profile: PolicyProfile(name: "web", vlan: 10)) } != nil)

        // A change by another client: `.changed`, and the VSI types again (profiles changed).
        let mark = events.count
        try editor.putProfile(PolicyProfile(name: "web", vlan: 30))
        #expect(events.wait(from: mark) { $0 == .changed } != nil)
        #expect(events.wait(from: mark) { $0 == .vsiTypes([VSITypeRow(typeID: 7, version: 0, profile: "web")],
                                                          profiles: ["web": PolicyProfile(name: "web", vlan: 30)]) } != nil)
        // The cache was dropped with the change: the new answer comes from the database.
        client.resolve(mac: mac, name: "vm7", uuid: nil)
        #expect(events.wait(from: mark) { $0 == .resolved(mac: mac, profile: PolicyProfile(name: "web", vlan: 30)) } != nil)
        #expect(client.status().state == .connected)
        #expect(client.status().lastNotify != nil)
        #expect(client.status().schemaVersion == PolicyConnection.schemaVersion)
    }

    @Test func clientRecordsAndQueriesLocations() throws {
        let (server, editor, uri, _) = try SharedPostgres.connection()
        let events = EventRecorder()
        let client = PolicyDBClient(settings: PolicyDBSettings(uri: uri, passwordFile: server.passwordFile, switchID: "tor-a",
                                                               hostname: "tor-a"), deliver: events.deliver)
        client.start()
        defer { client.stop() }
        #expect(events.wait { if case .connected = $0 { true } else { false } } != nil)
        let mac = MACAddress(0x02, 0, 0, 0, 0, 9)
        let since = Date(timeIntervalSince1970: 1_800_000_000)
        client.recordLocation(VMLocation(mac: mac, name: "vm9", switchID: "tor-a", port: "2", vlan: 10, since: since))
        let rows = try query(client, .name("vm9")).get()
        #expect(rows == [VMLocation(mac: mac, name: "vm9", switchID: "tor-a", port: "2", vlan: 10, since: since)])
        #expect(try editor.switches().map(\.id) == ["tor-a"])
        client.removeLocation(mac: mac)
        // Requests run in order: the query's answer comes after the removal.
        #expect(try query(client, .mac(mac)).get().isEmpty)
        #expect(try editor.locations(matching: nil).rows.isEmpty)
    }

    /// The client's answer to a location query (bounded wait).
    func query(_ client: PolicyDBClient, _ key: VMKey?) throws -> Result<[VMLocation], PolicyDBError> {
        let answer = Mutex<Result<[VMLocation], PolicyDBError>?>(nil)
        let done = NSCondition()
        client.query(locations: key) { result in
            done.lock()
            answer.withLock { $0 = result }
            done.broadcast()
            done.unlock()
        }
        let deadline = Date().addingTimeInterval(60)
        done.lock()
        defer { done.unlock() }
        while true {
            if let result = answer.withLock({ $0 }) { return result }
            if !done.wait(until: deadline) { throw PostgresServer.Failure(description: "no answer to the location query") }
        }
    }
}
