import Foundation
import Switch
import Testing

/// The arithmetic of the enable wait and of flood logging, without a clock to race:
/// binary tests (AccessTests) show both through the real control socket.
@Suite struct AccessThrottleTests {
    @Test func theEnableWaitDoublesPerUidUpToItsCapAndASuccessResetsIt() {
        let throttle = EnableThrottle()
        #expect(throttle.remaining(for: 1000) == nil)
        let waits = (0..<7).map { _ in EnableThrottle.seconds(throttle.failed(1000).delay) }
        #expect(waits == [1, 2, 4, 8, 16, 30, 30])
        #expect(throttle.remaining(for: 1000) != nil)
        #expect(throttle.remaining(for: 1001) == nil, "another uid does not wait")
        throttle.succeeded(1000)
        #expect(throttle.remaining(for: 1000) == nil)
        #expect(throttle.failed(1000) == (.seconds(1), 1))
    }

    @Test func aBurstIsOneLineThenACount() {
        let log = EventLog()
        let events = RepeatedEvents(log: log, interval: .seconds(1))
        for n in 1...5 { events.log(.warning, "access", kind: "refused", "connection \(n) refused") }
        events.log(.warning, "access", kind: "closed", "connection 6 closed")
        #expect(log.events().map(\.message) == ["connection 1 refused", "connection 6 closed"])
        #expect(events.flush(), "four are held, for the next flush")
        // Past the interval (waiting longer than it is never too short) the held ones are counted.
        usleep(1_100_000)
        #expect(!events.flush())
        #expect(log.events().map(\.message).last == "refused: 4 more in the last 1 s")
        events.log(.warning, "access", kind: "refused", "connection 7 refused")
        #expect(log.events().map(\.message).last == "refused: 4 more in the last 1 s", "within the interval of the count")
    }
}

/// `show users` keeps its columns when a login name is longer than the column (Linux
/// allows 32 characters).
@Suite struct ShowUsersColumnTests {
    @Test func aLongUserNameWidensTheColumnForEveryRow() throws {
        let sw = try VMreadySwitch()
        let long = "operator-with-a-rather-long-name"
        _ = sw.lines.addVTY(user: long, uid: 4242, from: "198.18.0.9") { nil }
        _ = sw.lines.addVTY(user: "ops", uid: 4243, from: "198.18.0.10") { nil }
        let table = try sw.shell(kind: .batch).run("show users").output
        #expect(table.count == 3, "\(table)")
        let idle = table[0].range(of: "Idle")!.lowerBound.utf16Offset(in: table[0])
        for row in table.dropFirst() {
            let chars = Array(row)
            #expect(chars[idle - 1] == " " && chars[idle].isNumber, "out of line: \(table)")
        }
        #expect(table[1].contains(long + " "))
    }
}
