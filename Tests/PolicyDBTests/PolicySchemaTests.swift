import Foundation
@testable import PolicyDB
import Testing
import TestSupport

@Suite(.postgres, postgresAvailable)
struct PolicySchemaTests {
    @Test func freshDatabaseGetsTheCurrentSchema() throws {
        let (server, uri, name) = try SharedPostgres.database()
        let connection = try PolicyConnection(uri: uri, passwordFile: server.passwordFile)
        #expect(try connection.storedVersion() == nil)
        #expect(try connection.migrate() == PolicyConnection.schemaVersion)
        #expect(try connection.storedVersion() == PolicyConnection.schemaVersion)
        let tables = try server.psql("SELECT string_agg(tablename, ',' ORDER BY tablename) FROM pg_tables WHERE schemaname = 'public'",
                                     database: name)
        #expect(tables == "assignments,profiles,switches,vm_locations,vmready_schema,vsi_types")
        // A second migrate (the next switch to start) changes nothing.
        #expect(try connection.migrate() == PolicyConnection.schemaVersion)
        #expect(try server.psql("SELECT count(*) FROM vmready_schema", database: name) == "1")
    }

    @Test func migratesFromVersionOne() throws {
        let (server, uri, name) = try SharedPostgres.database()
        let old = try PolicyConnection(uri: uri, passwordFile: server.passwordFile)
        #expect(try old.migrate(upTo: 1) == 1)
        try old.putProfile(PolicyProfile(name: "web", vlan: 10))
        #expect(try server.psql("SELECT count(*) FROM pg_trigger WHERE tgname = 'profiles_notify'", database: name) == "0")

        let current = try PolicyConnection(uri: uri, passwordFile: server.passwordFile)
        #expect(try current.migrate() == PolicyConnection.schemaVersion)
        #expect(try server.psql("SELECT count(*) FROM pg_trigger WHERE tgname = 'profiles_notify'", database: name) == "1")
        // The rows of version 1 are kept.
        #expect(try current.profiles().rows.map(\.name) == ["web"])
    }

    @Test func newerSchemaIsRefusedWithBothVersions() throws {
        let (server, connection, uri, name) = try SharedPostgres.connection()
        _ = connection
        try server.psql("UPDATE vmready_schema SET version = 99", database: name)
        let next = try PolicyConnection(uri: uri, passwordFile: server.passwordFile)
        #expect(throws: PolicyDBError.futureSchema(database: 99, known: PolicyConnection.schemaVersion)) { try next.migrate() }
        let message = PolicyDBError.futureSchema(database: 99, known: PolicyConnection.schemaVersion).description
        #expect(message.contains("99") && message.contains("(\(PolicyConnection.schemaVersion))"))
        // Nothing was changed by the refusal.
        #expect(try server.psql("SELECT version FROM vmready_schema", database: name) == "99")
    }

    @Test func passwordInTheURIIsRefused() throws {
        let (server, uri, _) = try SharedPostgres.database()
        let withPassword = uri.replacingOccurrences(of: "\(PostgresServer.user)@", with: "\(PostgresServer.user):secret@")
        #expect(throws: PolicyDBError.settings("the policy database URI carries a password: put the password in a password file")) {
            try PolicyConnection(uri: withPassword, passwordFile: server.passwordFile)
        }
        #expect(throws: PolicyDBError.self) { try PolicyConnection(uri: "host=127.0.0.1 password=secret", passwordFile: nil) }
    }

    @Test func passwordFileIsRequiredAndRead() throws {
        let (server, uri, _) = try SharedPostgres.database()
        #expect(throws: PolicyDBError.passwordFile(path: server.directory + "/missing", reason: "No such file or directory")) {
            try PolicyConnection(uri: uri, passwordFile: server.directory + "/missing")
        }
        // Without the password, SCRAM login fails: the file is what logs in.
        do {
            _ = try PolicyConnection(uri: uri, passwordFile: nil)
            Issue.record("connected without a password")
        } catch {
            #expect(error.isConnectionFailure)
            #expect(!error.description.contains(PostgresServer.password))
        }
    }

    @Test func switchRoleWithoutCreatePrivilegeUsesACurrentSchema() throws {
        let (server, _, uri, name) = try SharedPostgres.connection()
        // A switch's role may read and write rows but not create tables.
        let role = "switch_\(name)"
        try server.psql("CREATE ROLE \(role) LOGIN PASSWORD '\(PostgresServer.password)'")
        try server.psql("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO \(role)", database: name)
        let switchURI = uri.replacingOccurrences(of: "\(PostgresServer.user)@", with: "\(role)@")
        let connection = try PolicyConnection(uri: switchURI, passwordFile: server.passwordFile)
        #expect(try connection.migrate() == PolicyConnection.schemaVersion)
        try connection.touchSwitch(id: "tor-a", hostname: "tor-a")
    }
}
