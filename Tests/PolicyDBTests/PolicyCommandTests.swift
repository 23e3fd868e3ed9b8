import Foundation
import PolicyDB
import Testing
import TestSupport

/// `vmready policy ...` through the built binary, as operators' scripts run it.
@Suite(.postgres, postgresAvailable)
struct PolicyCommandTests {
    struct Run {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    /// The binary sits in the same build products directory as the test bundle.
    static var binary: String {
        if let override = ProcessInfo.processInfo.environment["VMREADY_BIN"] { return override }
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = dir.appending(path: "vmready")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate.path }
            dir = dir.deletingLastPathComponent()
        }
        return ".build/debug/vmready"
    }

    func policy(_ arguments: [String], stdin: String? = nil) throws -> Run {
        let base = FileManager.default.temporaryDirectory.appending(path: "vmready-policy-\(UUID().uuidString)").path
        defer { for suffix in [".out", ".err", ".in"] { try? FileManager.default.removeItem(atPath: base + suffix) } }
        var input: Int32?
        if let stdin {
            try Data(stdin.utf8).write(to: URL(fileURLWithPath: base + ".in"))
            input = open(base + ".in", O_RDONLY)
        }
        defer { if let input { close(input) } }
        let pid = try ChildProcess.spawn(Self.binary, ["policy"] + arguments, stdinFD: input,
                                         stdoutPath: base + ".out", stderrPath: base + ".err")
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let exit = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        return Run(status: exit, stdout: (try? String(contentsOfFile: base + ".out", encoding: .utf8)) ?? "",
                   stderr: (try? String(contentsOfFile: base + ".err", encoding: .utf8)) ?? "")
    }

    @Test func profilesAssignmentsAndVSITypesFromTheCommandLine() throws {
        let (server, uri, _) = try SharedPostgres.database()
        let db = ["--db", uri, "--password-file", server.passwordFile]
        for arguments in [
            db + ["profile", "add", "web", "--vlan", "10", "--tag", "--shaping", "1000", "64", "2000", "--acl", "1", "2"],
            db + ["profile", "add", "db", "--vlan", "20", "--eshaping", "500", "32", "800"],
            db + ["assign", "02:00:00:00:00:01", "web"],
            db + ["assign", "0200.0000.0002", "db"],
            db + ["assign", "4DEA22B3-1D52-D8F3-2516-782E98AB3FA0", "db"],
            db + ["assign", "vm1", "web"],
            db + ["vsitype", "add", "100", "1", "web"],
            db + ["unassign", "vm1"],
        ] {
            let run = try policy(arguments)
            #expect(run.status == 0, "\(arguments): \(run.stderr)")
            #expect(run.stderr.isEmpty)
        }
        let list = try policy(db + ["list"])
        #expect(list.status == 0)
        #expect(list.stdout == """
            Profiles (2):
            Name  VLAN  Tagged  Shaping       EShaping    ACLs
            db    20    no      -             500/32/800  -
            web   10    yes     1000/64/2000  -           1,2

            Assignments (3):
            By    VM                                    Profile
            mac   02:00:00:00:00:01                     web
            mac   02:00:00:00:00:02                     db
            uuid  4dea22b3-1d52-d8f3-2516-782e98ab3fa0  db

            VSI types (1):
            Type ID  Version  Profile
            100      1        web

            """)
        let json = try policy(db + ["list", "--json"])
        let exported = try policy(db + ["export"])
        #expect(json.stdout == exported.stdout)
        let document = try PolicyDocument.decode(Data(exported.stdout.utf8))
        #expect(document.profiles.map(\.name) == ["db", "web"])
        #expect(document.vsiTypes == [VSITypeRow(typeID: 100, version: 1, profile: "web")])

        // Import into another database, from a file and from stdin: the same export comes back.
        let (_, otherURI, _) = try SharedPostgres.database()
        let other = ["--db", otherURI, "--password-file", server.passwordFile]
        let file = server.directory + "/export.json"
        try Data(exported.stdout.utf8).write(to: URL(fileURLWithPath: file))
        #expect(try policy(other + ["import", file]).status == 0)
        #expect(try policy(other + ["export"]).stdout == exported.stdout)
        #expect(try policy(other + ["import", "-"], stdin: exported.stdout).status == 0)

        #expect(try policy(db + ["vsitype", "remove", "100", "1"]).status == 0)
        #expect(try policy(db + ["vsitype", "remove", "100", "1"]).stderr == "vmready: no VSI type 100 version 1\n")
        #expect(try policy(db + ["vsitype", "add", "100", "1", "web"]).status == 0)
        #expect(try policy(db + ["profile", "remove", "web"]).status == 0)
        #expect(try PolicyDocument.decode(Data(try policy(db + ["export"]).stdout.utf8)).vsiTypes.isEmpty)
    }

    @Test func failuresAreOneLineAndStatusOne() throws {
        let (server, uri, name) = try SharedPostgres.database()
        let db = ["--db", uri, "--password-file", server.passwordFile]
        let withPassword = uri.replacingOccurrences(of: "\(PostgresServer.user)@", with: "\(PostgresServer.user):\(PostgresServer.password)@")
        let cases: [([String], String)] = [
            (["--db", withPassword, "list"], "vmready: the policy database URI carries a password: put the password in a password file\n"),
            (["--db", uri, "--password-file", server.directory + "/none", "list"],
             "vmready: cannot read password file \(server.directory)/none: No such file or directory\n"),
            (db + ["assign", "vm1", "nothing"], "vmready: no profile nothing\n"),
            (db + ["profile", "remove", "nothing"], "vmready: no profile nothing\n"),
            (db + ["profile", "add", "x", "--vlan", "10", "--shaping", "10", "1", "10"],
             "vmready: profile x: shaping: average 10 kbit/s is not 64-10000000\n"),
        ]
        for (arguments, expected) in cases {
            let run = try policy(arguments)
            #expect(run.status == 1, "\(arguments)")
            #expect(run.stderr == expected)
            #expect(!run.stderr.contains(PostgresServer.password))
        }
        // A bad row is a warning on stderr; the rest is listed.
        #expect(try policy(db + ["list"]).status == 0)
        try server.psql("INSERT INTO profiles (name, vlan) VALUES ('v0', 0)", database: name)
        let list = try policy(db + ["export"])
        #expect(list.status == 0)
        #expect(list.stderr == "vmready: warning: bad row in profiles (v0) skipped: VLAN 0 is not 1-4094\n")
        // An import with one bad entry changes nothing.
        let bad = #"{"profiles": [{"name": "ok", "vlan": 5}, {"name": "v9", "vlan": 9999}]}"#
        let refused = try policy(db + ["import", "-"], stdin: bad)
        #expect(refused.status == 1)
        #expect(refused.stderr == "vmready: import refused: profile v9: VLAN 9999 is not 1-4094\n")
        #expect(try server.psql("SELECT count(*) FROM profiles WHERE name = 'ok'", database: name) == "0")
    }

    @Test func usageErrorsAreStatusTwo() throws {
        let (server, uri, _) = try SharedPostgres.database()
        let db = ["--db", uri, "--password-file", server.passwordFile]
        for arguments in [db + ["profile", "add", "web"], db + ["profile", "add", "web", "--vlan", "5000"],
                          db + ["assign", "not a name!", "web"], ["list"], db + ["frobnicate"],
                          db + ["profile", "add", "web", "--vlan", "1", "--shaping", "1", "2"]] {
            let run = try policy(arguments)
            #expect(run.status == 2, "\(arguments)")
            #expect(run.stderr.hasPrefix("vmready: ") && run.stderr.filter { $0 == "\n" }.count == 1, "\(run.stderr)")
        }
    }
}
