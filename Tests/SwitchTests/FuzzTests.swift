import FrameTestSupport
import CommandEngine
import Console
import Foundation
import Switch
import Testing

/// 100,000 random and mutated lines through the engine (parse, `?`, TAB) and a batch session:
/// nothing crashes, and a rejected line never changes the running configuration.
@Suite struct FuzzTests {
    static let alphabet = Array("abcdefghijklmnopqrstuvwxyz0123456789 -:.,|\"?!#()[]*+\\\t^$é€")
    static let fragments = ["no", "do", "|", "\"", "\"\"", "vlan", "4094", "4095", "0", "-1", "1-8", "8-1",
                            "00:50:56:9c:00:c8", "198.18.0.1", "exit", "end", "?", "include", "(", "interface",
                            "port", "name", "shutdown", "hostname", "show", "running-config", "99999999999999999999"]

    @Test func randomAndMutatedLines() throws {
        let sw = try VMreadySwitch()
        let engine = sw.engine
        let seeds = engine.samples().map(\.line)
        var rng = SplitMix(state: 0x5eed_0f_7e57)
        let devnull = open("/dev/null", O_WRONLY)
        defer { close(devnull) }
        func newBatch() throws -> BatchSession {
            let b = BatchSession(shell: try sw.shell(kind: .batch), options: BatchOptions(),
                                 stdout: FileDescriptorOutput(fd: devnull), stderr: FileDescriptorOutput(fd: devnull))
            // Most generated lines are configuration lines: start in global config.
            b.runLine("configure terminal", number: 0)
            return b
        }
        var batch = try newBatch()
        var config = sw.runningConfig()
        var rejected = 0, accepted = 0
        for i in 0..<100_000 {
            let line = Self.makeLine(&rng, seeds: seeds)
            let mode = batch.shell.session.mode
            _ = engine.parse(line, in: mode)
            _ = engine.describe(line, in: mode)
            _ = engine.complete(line, in: mode) { sw.completionValues(for: $0) }
            if batch.runLine(line, number: i) {
                accepted += 1
                config = sw.runningConfig()
            } else {
                rejected += 1
                let after = sw.runningConfig()
                #expect(after == config, "rejected line changed the configuration: '\(line)'")
                if after != config { return }
            }
            if batch.shell.session.isClosed || i % 5000 == 0 { batch = try newBatch() }
        }
        // The generator must exercise both paths, or the property says nothing.
        #expect(rejected > 10_000)
        #expect(accepted > 1_000)
    }

    static func makeLine(_ rng: inout SplitMix, seeds: [String]) -> String {
        switch Int.random(in: 0..<10, using: &rng) {
        case 0, 1: // random characters
            let n = Int.random(in: 0..<40, using: &rng)
            return String((0..<n).map { _ in alphabet.randomElement(using: &rng) ?? " " })
        case 2, 3: // random fragments
            let n = Int.random(in: 1..<7, using: &rng)
            return (0..<n).map { _ in fragments.randomElement(using: &rng) ?? "" }.joined(separator: " ")
        default: // a real command, mutated
            var chars = Array(seeds.randomElement(using: &rng) ?? "")
            for _ in 0..<Int.random(in: 0..<4, using: &rng) {
                switch Int.random(in: 0..<5, using: &rng) {
                case 0 where !chars.isEmpty: chars.remove(at: Int.random(in: 0..<chars.count, using: &rng))
                case 1: chars.insert(alphabet.randomElement(using: &rng) ?? " ", at: Int.random(in: 0...chars.count, using: &rng))
                case 2 where !chars.isEmpty: chars.removeLast(Int.random(in: 0...chars.count, using: &rng))
                case 3: chars += " " + (fragments.randomElement(using: &rng) ?? "")
                default: chars = Array(String(chars).uppercased())
                }
            }
            return String(chars)
        }
    }
}
