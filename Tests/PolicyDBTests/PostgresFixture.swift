import Foundation
import Synchronization
import PolicyDB
import Testing
import TestSupport

/// One PostgreSQL server per suite (started before its first test, stopped and removed
/// after its last, also when tests fail), a fresh database per test.
struct PostgresSuiteTrait: SuiteTrait, TestScoping {
    func provideScope(for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void) async throws {
        guard PostgresServer.isAvailable else {
            try await function()
            return
        }
        let server = try PostgresServer()
        defer { server.stop() }
        try await SharedPostgres.$server.withValue(server) { try await function() }
    }
}

extension Trait where Self == PostgresSuiteTrait {
    /// The suite's tests share one server (`SharedPostgres.database()`).
    static var postgres: Self { PostgresSuiteTrait() }
}

/// Skips, with the reason, where PostgreSQL cannot be started.
let postgresAvailable = ConditionTrait.enabled(if: PostgresServer.isAvailable,
                                                "needs root and Debian's postgresql 15 (/usr/lib/postgresql/15/bin)")

enum SharedPostgres {
    @TaskLocal static var server: PostgresServer?

    /// The suite's server and a new database on it.
    static func database() throws -> (server: PostgresServer, uri: String, name: String) {
        guard let server else { throw PostgresServer.Failure(description: "no PostgreSQL server for this suite (.postgres trait missing)") }
        let database = try server.createDatabase()
        return (server, database.uri, database.name)
    }

    /// A migrated connection to a new database.
    static func connection(statementTimeout: Duration = .seconds(5)) throws -> (server: PostgresServer, connection: PolicyConnection, uri: String, name: String) {
        let (server, uri, name) = try database()
        let connection = try PolicyConnection(uri: uri, passwordFile: server.passwordFile, statementTimeout: statementTimeout)
        try connection.migrate()
        return (server, connection, uri, name)
    }
}

/// Events from a `PolicyDBClient`, waited for by condition (never by a fixed sleep): each
/// wait has a generous bound so a broken client fails the test instead of hanging it.
final class EventRecorder: Sendable {
    private let events = Mutex<[PolicyDBEvent]>([])
    private let condition = NSCondition()

    var deliver: @Sendable (PolicyDBEvent) -> Void {
        { [self] event in
            condition.lock()
            events.withLock { $0.append(event) }
            condition.broadcast()
            condition.unlock()
        }
    }

    var all: [PolicyDBEvent] { events.withLock { $0 } }

    /// Waits until an event after index `from` satisfies `match`; returns it and its index.
    @discardableResult
    func wait(from: Int = 0, bound: TimeInterval = 60, _ match: (PolicyDBEvent) -> Bool) -> (event: PolicyDBEvent, index: Int)? {
        let deadline = Date().addingTimeInterval(bound)
        condition.lock()
        defer { condition.unlock() }
        while true {
            let current = events.withLock { $0 }
            if from < current.count, let index = current[from...].firstIndex(where: match) { return (current[index], index) }
            if !condition.wait(until: deadline) { return nil }
        }
    }

    var count: Int { events.withLock { $0.count } }
}
