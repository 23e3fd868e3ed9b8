import Foundation
import Testing
import TestSupport

/// Logins through the control socket (`vmready connect`, what SSH and serial sessions run)
/// reach a real rsyslogd from the real `vmready` process, over TCP and UDP at once, each
/// with its collector's facility.
@Suite struct RemoteSyslogLoginTests {
    @Test(.enabled(if: RsyslogServer.isAvailable, "rsyslogd is not installed"))
    func loginsAndLogoutsArriveAsNoticesOverTCPAndUDP() throws {
        let rsyslog = try RsyslogServer()
        defer { rsyslog.stop() }
        let sw = try HeadlessSwitch()
        let setup = try sw.connect(["enable", "configure terminal", "hostname tor-9",
                                    "logging host 1 address 127.0.0.1 port \(rsyslog.tcpPort) tcp",
                                    "logging host 2 address 127.0.0.1 port \(rsyslog.udpPort)",
                                    "logging host 2 facility local0", "end"])
        #expect(setup.status == 0, "\(setup.stderr)")
        let session = try sw.connect(["show version"])
        #expect(session.status == 0, "\(session.stderr)")

        let local7 = 23, local0 = 16
        for facility in [local7, local0] {
            let access = rsyslog.wait(for: 3) { $0.appName == "vmready" && $0.msgID == "access" && $0.facility == facility }
            // The setup session's logout (the hosts were configured during it), then the
            // second session's login and logout.
            #expect(access.map(\.text).filter { $0.contains("logged in from") }.count == 1, "\(access)")
            #expect(access.map(\.text).filter { $0.hasSuffix("logged out") }.count == 2, "\(access)")
            for m in access {
                #expect(m.severity == 5 && m.pri == facility * 8 + 5, "notice: \(m)")
                #expect(m.hostname == "tor-9" && m.procID == String(sw.pid) && m.structuredData == "-", "\(m)")
            }
        }
        let status = try sw.connect(["enable", "show logging"])
        #expect(status.stdout.contains("Host 1: 127.0.0.1 port \(rsyslog.tcpPort) tcp, severity 6 (informational), facility local7: connected, "),
                "\(status.stdout)")
        #expect(status.stdout.contains("Host 2: 127.0.0.1 port \(rsyslog.udpPort) udp, severity 6 (informational), facility local0: "),
                "\(status.stdout)")
    }
}
