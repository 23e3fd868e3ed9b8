import Foundation
import Synchronization
import Testing
import TestSupport

/// Twenty `vmready connect < script` clients at once, 500 configuration lines each: every
/// line lands, shared objects end consistent, nothing crashes or deadlocks.
@Suite struct ConcurrentBatchTests {
    static let clients = 20
    static let vlansPerClient = 166 // 3 lines each: 498, plus 2 on a shared port = 500

    static func script(client c: Int) -> [String] {
        var lines = ["enable", "configure terminal"]
        for k in 0..<vlansPerClient {
            let vid = 2 + c * vlansPerClient + k
            lines += ["vlan \(vid)", "name \"c\(c)-v\(vid)\"", "exit"]
        }
        // Every client also writes the same object: one of them must win whole.
        lines += ["interface port 1", "description \"client \(c)\""]
        return lines
    }

    @Test func twentyClientsApplyFiveHundredLinesEach() throws {
        let sw = try HeadlessSwitch()
        let results = Mutex<[Int: HeadlessSwitch.Result]>([:])
        let failures = Mutex<[String]>([])
        let (stateDir, scratch) = (sw.stateDir, sw.directory)
        let started = Date()
        DispatchQueue.concurrentPerform(iterations: Self.clients) { c in
            do {
                let r = try HeadlessSwitch.connect(Self.script(client: c), stateDir: stateDir, scratch: scratch)
                results.withLock { $0[c] = r }
            } catch {
                failures.withLock { $0.append("client \(c): \(error)") }
            }
        }
        let seconds = Date().timeIntervalSince(started)
        print("access.concurrent_20x500_lines \((seconds * 1000).rounded()) ms (20 connect clients, debug build)")
        #expect(failures.withLock { $0 }.isEmpty, "\(failures.withLock { $0 })")
        for (c, r) in results.withLock({ $0 }).sorted(by: { $0.key < $1.key }) {
            #expect(r.status == 0 && r.stderr.isEmpty, "client \(c): status \(r.status)\n\(r.stderr)")
        }

        let config = try sw.connect(["enable", "show running-config"]).stdout
        let lines = Set(config.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) })
        var missing: [String] = []
        for c in 0..<Self.clients {
            for k in 0..<Self.vlansPerClient {
                let vid = 2 + c * Self.vlansPerClient + k
                if !lines.contains("vlan \(vid)") { missing.append("vlan \(vid)") }
                if !lines.contains("name \"c\(c)-v\(vid)\"") { missing.append("name of vlan \(vid)") }
            }
        }
        #expect(missing.isEmpty, "\(missing.count) lines missing, first: \(missing.prefix(5))")
        let descriptions = lines.filter { $0.hasPrefix("description \"client ") }
        #expect(descriptions.count == 1, "port 1 has one description, not \(descriptions)")
        // Still healthy: a new session answers, and no session thread is left.
        #expect(try sw.connect(["show version"]).status == 0)
        #expect(HeadlessSwitch.eventually { !sw.threadNames().contains { $0.hasPrefix("vty") } }, "\(sw.threadNames())")
    }
}
