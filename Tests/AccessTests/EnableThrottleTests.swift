import Foundation
import Testing

/// Guessing the enable secret is slowed per uid, across reconnects: after a failure a wait
/// starts (1 s doubling to 30 s); an `enable` during it is refused unchecked, even with the
/// right secret, and doubles the wait; the right secret after the wait resets it.
/// No assertion on a duration: each refusal below happens well inside a wait of 4 s or
/// more, and the one pause waits past a 1 s wait, never for it to be short.
@Suite struct EnableThrottleTests {
    static let secret = "s3cret word"

    /// A switch with the secret set, and a privileged session opened before any failure:
    /// the only one that can read `show logging` while the uid waits.
    static func switchWithSecret() throws -> (HeadlessSwitch, HeadlessSwitch.OpenBatch) {
        let sw = try HeadlessSwitch()
        let set = try sw.connect(["enable", "configure terminal", "enable secret \"\(secret)\"", "end"])
        #expect(set.status == 0, "\(set.stderr)")
        return (sw, try sw.privilegedBatch(secret: secret))
    }

    @Test func failedSecretsMakeTheSameUidWaitAcrossReconnects() throws {
        let (sw, reader) = try Self.switchWithSecret()
        // Five wrong secrets in one batch: the first is checked, each later one is refused
        // (or, were the machine stalled past its wait, checked and wrong): five failures.
        let guesses = try sw.connect(Array(repeating: ["enable", "guess"], count: 5).flatMap { $0 }
                                     + ["enable", Self.secret, "show version"])
        #expect(guesses.status == 1)
        #expect(guesses.stderr.contains("% Bad secrets"), "\(guesses.stderr)")
        // The sixth, with the right secret, comes inside a wait of 16 s: refused unchecked.
        #expect(guesses.stderr.contains("line 11: enable\n"), "\(guesses.stderr)")
        #expect(guesses.stderr.contains("% Too many bad secrets: wait 30 s before the next try"), "\(guesses.stderr)")
        #expect(!guesses.stderr.contains(Self.secret), "the secret's line is consumed, never run or shown")

        // A new connection of the same uid is still waiting: the right secret is refused.
        let reconnected = try sw.connect(["enable", Self.secret])
        #expect(reconnected.status == 1)
        #expect(reconnected.stderr.contains("% Too many bad secrets: wait 30 s"), "capped at 30 s: \(reconnected.stderr)")

        // Other sessions of that uid run meanwhile, and the log tells what happened.
        #expect(try sw.connect(["show version"]).status == 0)
        let log = reader.finish(["show logging"])
        #expect(log.status == 0)
        #expect(log.stdout.contains("failed to enter privileged exec: bad secret; uid \(getuid()) waits 1 s"), "\(log.stdout)")
        // Refusals are logged, a flood of them as one line per interval, not one per attempt.
        let refusals = log.stdout.split(separator: "\n").filter { $0.contains("refused privileged exec: uid \(getuid()) waits") }
        #expect(refusals.count == 1, "\(log.stdout)")
    }

    @Test func theRightSecretAfterTheWaitResetsIt() throws {
        let (sw, reader) = try Self.switchWithSecret()
        let wrong = try sw.connect(["enable", "guess"])
        #expect(wrong.stderr.contains("% Bad secrets"), "\(wrong.stderr)")
        // The wait is 1 s from that failure; waiting longer is always enough.
        usleep(1_300_000)
        let right = try sw.connect(["enable", Self.secret, "show logging"])
        #expect(right.status == 0, "\(right.stderr)")
        // After the success the next failure waits 1 s again, not 2.
        _ = try sw.connect(["enable", "guess"])
        let log = reader.finish(["show logging"]).stdout
        let waits = log.split(separator: "\n").filter { $0.contains("failed to enter privileged exec") }
        #expect(waits.count == 2 && waits.allSatisfy { $0.hasSuffix("waits 1 s") }, "\(log)")
    }
}
