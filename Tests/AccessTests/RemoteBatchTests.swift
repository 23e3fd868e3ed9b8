import Foundation
import Testing

/// `vmready connect < script` (what `ssh switch vmready connect < script` runs): a batch
/// through the control socket, starting in user exec like any login.
@Suite struct RemoteBatchTests {
    @Test func aConnectedBatchStartsInUserExecAndReportsLikeALocalOne() throws {
        let sw = try HeadlessSwitch()
        let denied = try sw.connect(["show users", "configure terminal", "show version"])
        #expect(denied.status == 1)
        #expect(denied.stderr.contains("line 2: configure terminal"), "\(denied.stderr)")
        #expect(denied.stderr.contains("% Invalid input detected at '^' marker."))
        // Its own line is marked; the user comes from the kernel (SO_PEERCRED).
        let me = String(cString: getpwuid(getuid()).pointee.pw_name)
        #expect(denied.stdout.contains("*   vty 1    \(me)"), "\(denied.stdout)")
        #expect(denied.stdout.contains("VMready switch operating system"))

        let allowed = try sw.connect(["enable", "configure terminal", "hostname remote", "end", "show running-config"])
        #expect(allowed.status == 0, "\(allowed.stderr)")
        #expect(allowed.stdout.contains("hostname \"remote\""))

        let stopped = try sw.connect(["bogus", "show version"], extra: ["--stop-on-error"])
        #expect(stopped.status == 1)
        #expect(!stopped.stdout.contains("VMready switch operating system"))
    }

    /// A connected batch asks for JSON as a local one does: the session over the control
    /// socket marks its own line in `show users | json`, with the user the kernel names.
    @Test func aConnectedBatchGetsJSON() throws {
        let sw = try HeadlessSwitch()
        let r = try sw.connect(["show users | json", "show version | json-pretty"])
        #expect(r.status == 0, "\(r.stderr)")
        let first = try #require(r.stdout.split(separator: "\n").first)
        let users = try #require(try JSONSerialization.jsonObject(with: Data(first.utf8)) as? [String: Any])
        let me = String(cString: getpwuid(getuid()).pointee.pw_name)
        let sessions = users["sessions"] as? [[String: Any]] ?? []
        #expect(sessions.contains { $0["current"] as? Bool == true && $0["user"] as? String == me && $0["line"] as? String == "vty 1" },
                "\(r.stdout)")
        #expect(r.stdout.contains("\n  \"hostname\": \"vmready\",\n"), "\(r.stdout)")
    }

    @Test func theEnableSecretIsHashedAskedForAndLogged() throws {
        let sw = try HeadlessSwitch()
        let set = try sw.connect(["enable", "configure terminal", "enable secret \"s3cret word\"", "end",
                                  "show running-config", "show history"])
        #expect(set.status == 0, "\(set.stderr)")
        #expect(!set.stdout.contains("s3cret"), "the secret shows in clear:\n\(set.stdout)")
        let rendered = set.stdout.split(separator: "\n").first { $0.hasPrefix("enable secret 9 \"$y$") }
        #expect(rendered != nil, "\(set.stdout)")
        #expect(set.stdout.contains("enable secret ********"), "history masks the secret")

        // A batch gives the secret on the line after `enable`; it is neither run nor shown.
        let good = try sw.connect(["enable", "s3cret word", "show logging"])
        #expect(good.status == 0, "\(good.stderr)")
        #expect(good.stdout.contains("vty 1 (\(Self.me)) entered privileged exec (level 15)"), "\(good.stdout)")

        let bad = try sw.connect(["enable", "guess", "configure terminal"])
        #expect(bad.status == 1)
        #expect(bad.stderr.contains("% Bad secrets"), "\(bad.stderr)")
        #expect(bad.stderr.contains("line 3: configure terminal"), "still in user exec:\n\(bad.stderr)")
        // The uid now waits 1 s before its next secret is checked (EnableThrottleTests).
        usleep(1_300_000)
        let log = try sw.connect(["enable", "s3cret word", "show logging"]).stdout
        #expect(log.contains("WARNING access: vty 1 (\(Self.me)) failed to enter privileged exec: bad secret"), "\(log)")

        // The rendered hash replays: a switch booted from it asks for the same secret.
        let config = try sw.connect(["enable", "s3cret word", "show running-config"]).stdout
        let file = try Self.write(config)
        defer { unlink(file) }
        let next = try HeadlessSwitch(arguments: ["--startup-config", file])
        #expect(try next.connect(["enable", "s3cret word", "show running-config"]).stdout == config)
        #expect(try next.connect(["enable", "wrong"]).status == 1)
    }

    @Test func aBatchThatRanToItsEndLogsOutNormally() throws {
        let sw = try HeadlessSwitch()
        #expect(try sw.connect(["show version"]).status == 0)
        let log = try sw.connect(["enable", "show logging"]).stdout
        #expect(log.contains("access: vty 1 (\(Self.me)) logged out\n"), "\(log)")
        #expect(!log.contains("connection lost"), "\(log)")
    }

    @Test func clearingItsOwnLineEndsTheBatchThere() throws {
        let sw = try HeadlessSwitch()
        let r = try sw.connect(["enable", "clear line 1", "show version", "configure terminal", "hostname after"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("% Line cleared by vty 1 (\(Self.me))"), "\(r.stderr)")
        #expect(!r.stdout.contains("VMready switch operating system"), "a line ran after the clear:\n\(r.stdout)")
        let config = try sw.connect(["enable", "show running-config"]).stdout
        #expect(!config.contains("hostname \"after\""), "\(config)")
        let log = try sw.connect(["enable", "show logging"]).stdout
        #expect(log.contains("vty 1 (\(Self.me)) logged out (cleared by vty 1 (\(Self.me)))"), "\(log)")
    }

    static var me: String { String(cString: getpwuid(getuid()).pointee.pw_name) }

    static func write(_ text: String) throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("vmready-config-\(UUID().uuidString.prefix(8))")
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }
}
