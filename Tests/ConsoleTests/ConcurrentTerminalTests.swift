import Console
import Foundation
import Switch
import Testing

/// Console sessions run on any terminal descriptor pair handed to them, several at once on
/// one switch, each with its own mode; a change made in one is seen by the other.
@Suite struct ConcurrentTerminalTests {
    @Test func twoSessionsOnTwoPseudoTerminals() throws {
        let sw = try VMreadySwitch()
        guard let a = PseudoTerminal(), let b = PseudoTerminal() else {
            Issue.record("cannot open pseudo-terminals")
            return
        }
        let finished = DispatchGroup()
        for pty in [a, b] {
            let fd = pty.device
            finished.enter()
            Thread.detachNewThread {
                if let shell = try? sw.shell(kind: .terminal) {
                    TerminalSession(shell: shell, inputFD: fd, outputFD: fd, historyPath: nil).run()
                }
                finished.leave()
            }
        }
        #expect(a.wait(for: "vmready#") != nil)
        #expect(b.wait(for: "vmready#") != nil)

        a.type("configure terminal\r")
        #expect(a.wait(for: "vmready(config)#") != nil)
        a.type("vlan 42\r")
        #expect(a.wait(for: "vmready(config-vlan)#") != nil)

        // B is still in privileged exec and sees A's change at once.
        b.type("show running-config | include vlan\r")
        let seen = b.wait(for: "vmready#")
        #expect(seen?.contains("vlan 42") == true, "\(seen ?? "nothing")")

        // A's hostname change shows in B's next prompt; A is still in its VLAN mode.
        a.type("hostname twin\r")
        #expect(a.wait(for: "twin(config)#") != nil)
        b.type("\r")
        #expect(b.wait(for: "twin#") != nil)

        a.type("end\r")
        #expect(a.wait(for: "twin#") != nil)
        a.type("exit\r")
        b.type("exit\r")
        #expect(finished.wait(timeout: .now() + 10) == .success, "sessions did not end on exit")
    }
}
