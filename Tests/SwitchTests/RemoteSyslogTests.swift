import Foundation
import FrameTestSupport
import Frames
import Switch
import Testing
import TestSupport

/// Remote syslog against a real rsyslogd on 127.0.0.1 (`RsyslogServer`): what the switch
/// logs arrives as RFC 5424 with the right PRI, header and structured data, over UDP and
/// over TCP with octet counting; a collector that is down never blocks, and its drops are
/// counted in `show logging`.
@Suite(.serialized) struct RemoteSyslogTests {
    static let pid = String(getpid())

    /// Stops the bench's senders (their threads end) when a test is done with it.
    func removeHosts(_ lab: VMreadyBench) {
        _ = try? lab.run(["configure terminal", "no logging host 1", "no logging host 2", "end"])
    }

    @Test(.enabled(if: RsyslogServer.isAvailable, "rsyslogd is not installed"))
    func migrationsSpoofAlertsAndPrivilegeChangesArriveOverUDPAndTCP() throws {
        let rsyslog = try RsyslogServer()
        defer { rsyslog.stop() }
        let lab = try VMreadyBench(setup: [
            "hostname rack12-tor",
            "logging host 1 address 127.0.0.1 port \(rsyslog.udpPort)",
            // TCP: notice and above only, as local3.
            "logging host 2 address 127.0.0.1 port \(rsyslog.tcpPort) tcp", "logging host 2 severity 5",
            "logging host 2 facility local3",
            "virt enable", "virt vmgroup 10", "vlan 100", "validate basic", "vm 00:50:56:9c:00:c8", "exit",
        ])
        defer { removeHosts(lab) }
        lab.send(FrameBuilder(destination: .broadcast, source: VMs.web), on: 1)   // detected (informational)
        lab.send(.migrationRARP(VMs.web), on: 2)                                    // a migration (notice)
        lab.send(FrameBuilder(destination: .broadcast, source: VMs.web), on: 3)   // unannounced: a move and a spoof alert (warning)
        let operatorShell = try lab.sw.shell(kind: .batch, privileged: false)
        #expect(operatorShell.run("enable").error == nil)                            // privilege change (notice)

        let local7 = 23, local3 = 19
        let ours = { (m: RsyslogServer.Message) in m.appName == "vmready" }
        let overUDP = rsyslog.wait(for: 5) { ours($0) && $0.facility == local7 }
        let overTCP = rsyslog.wait(for: 4) { ours($0) && $0.facility == local3 }
        let web = #"[vmready@32473 mac="00:50:56:9c:00:c8" port="#

        for (messages, transport) in [(overUDP, "udp"), (overTCP, "tcp")] {
            for m in messages {
                #expect(m.hostname == "rack12-tor", "\(transport): \(m)")
                #expect(m.procID == Self.pid, "\(transport): \(m)")
                #expect(m.timestamp.hasSuffix("Z"), "UTC: \(m)")
                // VM events carry the switch clock (virtual here); access events the wall clock.
                #expect(m.msgID == "access" || m.timestamp.hasPrefix("2025-11-21T04:40:0"), "switch clock: \(m)")
            }
            let moved = messages.first { $0.text.contains("moved from port 1 to port 2") }
            #expect(moved?.severity == 5 && moved?.msgID == "virt", "\(transport): \(messages)")
            #expect(moved?.structuredData == web + #""2"]"#, "\(transport): \(String(describing: moved))")
            let spoof = messages.first { $0.text.hasPrefix("suspected spoof: VM 00:50:56:9c:00:c8 appeared on port 3") }
            #expect(spoof?.severity == 4 && spoof?.msgID == "vmcheck", "\(transport): \(messages)")
            #expect(spoof?.structuredData == web + #""3"]"#, "\(transport): \(String(describing: spoof))")
            let login = messages.first { $0.text.hasSuffix("entered privileged exec (level 15)") }
            #expect(login?.severity == 5 && login?.msgID == "access" && login?.structuredData == "-", "\(transport): \(messages)")
        }
        let detected = overUDP.first { $0.text.contains("detected on port 1") }
        #expect(detected?.severity == 6 && detected?.pri == 190, "\(overUDP)")
        #expect(detected?.structuredData == web + #""1"]"#)
        // One TCP connection keeps order: what came after the detection arrived, so the
        // detection (below severity 5) was never sent.
        #expect(overTCP.count == 4 && !overTCP.contains { $0.text.contains("detected") }, "\(overTCP)")

        // A sender counts a message once its send returns, which may be after the collector
        // has written it: the counts are awaited, not read once.
        let udpStatus = "127.0.0.1 port \(rsyslog.udpPort) udp, severity 6 (informational), facility local7: "
            + "\(overUDP.count) sent, 0 dropped"
        let tcpStatus = "127.0.0.1 port \(rsyslog.tcpPort) tcp, severity 5 (notice), facility local3: "
            + "connected, \(overTCP.count) sent, 0 dropped"
        #expect(waitForStatus(lab, containing: udpStatus) != nil, "\(lab.show("show logging").prefix(3))")
        #expect(waitForStatus(lab, host: 2, containing: tcpStatus) != nil, "\(lab.show("show logging").prefix(3))")
        let status = lab.show("show logging")
        // The buffer's lines stay as they were.
        #expect(status.contains { $0.hasSuffix("NOTICE  virt: VM 00:50:56:9c:00:c8 moved from port 1 to port 2 (RARP)") }, "\(status)")
    }

    /// A collector that is down (a TCP port nobody listens on) while events pour in:
    /// every command answers, every event is dropped and counted, the state says down.
    @Test func aCollectorThatIsDownNeverBlocksAndDropsAreCounted() throws {
        let port = try LoopbackPort.free()
        let lab = try VMreadyBench(setup: ["logging host 1 address 127.0.0.1 port \(port) tcp"])
        defer { removeHosts(lab) }
        let before = lab.sw.eventLog.totalLogged
        let operatorShell = try lab.sw.shell(kind: .batch, privileged: false)
        for _ in 0..<1500 {
            #expect(operatorShell.run("enable").error == nil)
            #expect(operatorShell.run("disable").error == nil)
        }
        let logged = lab.sw.eventLog.totalLogged - before
        #expect(logged == 3000)
        // The sender drains its queue on its own thread, dropping: wait for it to be done.
        let expected = "127.0.0.1 port \(port) tcp, severity 6 (informational), facility local7: down, 0 sent, \(logged) dropped"
        #expect(waitForStatus(lab, containing: expected) != nil, "\(lab.show("show logging").prefix(3))")
    }

    /// A TCP collector that goes away and comes back: what is logged while it is down is
    /// dropped and counted, and the sender reconnects by itself for what follows.
    @Test(.enabled(if: RsyslogServer.isAvailable, "rsyslogd is not installed"))
    func aTCPCollectorThatRestartsGetsTheEventsAfterItIsBack() throws {
        let rsyslog = try RsyslogServer()
        defer { rsyslog.stop() }
        let lab = try VMreadyBench(setup: ["logging host 1 address 127.0.0.1 port \(rsyslog.tcpPort) tcp"])
        defer { removeHosts(lab) }
        let operatorShell = try lab.sw.shell(kind: .batch, privileged: false)
        #expect(operatorShell.run("enable").error == nil)
        #expect(rsyslog.wait(for: 1) { $0.appName == "vmready" }.count == 1)
        try rsyslog.restart {
            #expect(operatorShell.run("disable").error == nil)   // the collector is down: dropped
            let dropped = waitForStatus(lab, containing: "down, 1 sent, 1 dropped")
            #expect(dropped != nil, "\(lab.show("show logging").prefix(2))")
        }
        #expect(waitForStatus(lab, containing: "connected, 1 sent, 1 dropped") != nil, "\(lab.show("show logging").prefix(2))")
        #expect(operatorShell.run("enable").error == nil)
        let messages = rsyslog.wait(for: 2) { $0.appName == "vmready" }
        #expect(messages.map(\.text).map { $0.hasSuffix("entered privileged exec (level 15)") } == [true, true], "\(messages)")
        #expect(waitForStatus(lab, containing: "connected, 2 sent, 1 dropped") != nil, "\(lab.show("show logging").prefix(2))")
    }

    /// `show logging`'s line of collector `host` once it contains `text` (the sender runs on
    /// its own thread); nil when it does not within 20 s.
    func waitForStatus(_ lab: VMreadyBench, host: Int = 1, containing text: String) -> String? {
        let deadline = Date().addingTimeInterval(20)
        repeat {
            if let line = lab.show("show logging").first(where: { $0.hasPrefix("Host \(host):") && $0.contains(text) }) {
                return line
            }
            usleep(20_000)
        } while Date() < deadline
        return nil
    }

    /// A new hostname reaches the collector, and a severity change applies from the next event.
    @Test(.enabled(if: RsyslogServer.isAvailable, "rsyslogd is not installed"))
    func aSenderFollowsTheHostnameAndASeverityChange() throws {
        let rsyslog = try RsyslogServer()
        defer { rsyslog.stop() }
        let lab = try VMreadyBench(setup: ["logging host 1 address 127.0.0.1 port \(rsyslog.tcpPort) tcp"])
        defer { removeHosts(lab) }
        let operatorShell = try lab.sw.shell(kind: .batch, privileged: false)
        #expect(operatorShell.run("enable").error == nil)
        try lab.run(["configure terminal", "hostname edge-7", "logging host 1 severity 4", "end"])
        #expect(operatorShell.run("disable").error == nil)   // notice: below severity 4 now
        #expect(operatorShell.run("enable").error == nil)
        try lab.run(["configure terminal", "logging host 1 severity 5", "end"])
        #expect(operatorShell.run("disable").error == nil)
        let messages = rsyslog.wait(for: 2) { $0.appName == "vmready" }
        #expect(messages.map(\.hostname) == ["vmready", "edge-7"], "\(messages)")
        #expect(messages.map(\.text).last?.hasSuffix("left privileged exec (level 1)") == true, "\(messages)")
        #expect(messages.allSatisfy { $0.pri == 23 * 8 + 5 }, "\(messages)")
    }

    /// `logging console`: events at the severity or above go to the console, one line each,
    /// in `show logging`'s form.
    @Test func loggingConsoleWritesEventsAtItsSeverity() throws {
        var fds: [Int32] = [0, 0]
        #expect(pipe(&fds) == 0)
        defer { close(fds[0]); close(fds[1]) }
        let lab = try VMreadyBench(setup: ["virt enable", "logging console severity 5"], consoleLogDescriptor: fds[1])
        lab.send(FrameBuilder(destination: .broadcast, source: VMs.web), on: 1)   // informational: not on the console
        lab.send(.migrationRARP(VMs.web), on: 2)                                    // notice
        try lab.run(["configure terminal", "no logging console", "end"])
        lab.send(.migrationRARP(VMs.web), on: 3)                                    // console off again
        #expect(lab.show("show logging").contains("Console: severity 5 (notice) and above") == false)
        var text = ""
        let deadline = Date().addingTimeInterval(20)
        while !text.contains("\n") && Date() < deadline {
            var poller = pollfd(fd: fds[0], events: Int16(POLLIN), revents: 0)
            guard poll(&poller, 1, 20) == 1 else { continue }
            var buffer = [UInt8](repeating: 0, count: 4096)
            let n = read(fds[0], &buffer, buffer.count)
            if n > 0 { text += String(decoding: buffer.prefix(n), as: UTF8.self) }
        }
        #expect(text == "Nov 21 04:40:02 NOTICE  virt: VM 00:50:56:9c:00:c8 moved from port 1 to port 2 (RARP)\n")
    }

    @Test func loggingBufferedKeepsTheNewest() throws {
        let lab = try VMreadyBench(setup: ["logging buffered 100"])
        let operatorShell = try lab.sw.shell(kind: .batch, privileged: false)
        for _ in 0..<80 {
            _ = operatorShell.run("enable")
            _ = operatorShell.run("disable")
        }
        var lines = lab.show("show logging")
        #expect(lines.first?.hasPrefix("Log buffer: 100 events, ") == true && lines.count == 101, "\(lines.prefix(2))")
        try lab.run(["configure terminal", "logging buffered 150", "logging buffered 120", "end"])
        lines = lab.show("show logging")
        #expect(lines.count == 101, "growing keeps what there is; shrinking to 120 keeps all 100")
        try lab.run(["configure terminal", "no logging buffered", "end"])
        #expect(lab.show("show logging").first?.hasPrefix("Log buffer: 1000 events") == true)
    }
}
