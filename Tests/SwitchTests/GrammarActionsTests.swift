import CommandEngine
import Console
import Foundation
@testable import Switch
import Testing

/// The typed layer grammar-embed generates follows the grammar the switch runs.
@Suite struct GrammarActionsTests {
    let sw: VMreadySwitch

    init() throws { sw = try VMreadySwitch() }

    @Test func generatedActionsAreTheGrammarsActions() {
        #expect(Set(GrammarActions.names) == sw.engine.actions)
        #expect(GrammarActions.names.count == sw.engine.actions.count)
    }

    /// A line decodes into its action's struct, typed, keywords and all.
    @Test func matchedLinesDecode() throws {
        let config = try #require(sw.engine.mode(named: "config"))
        guard case .command(let l4) = sw.engine.parse("access-control list 7 tcp-udp source-port 80 0xfff0", in: config) else {
            Issue.record("line does not parse")
            return
        }
        let args = try #require(l4.arguments(as: .aclL4Port))
        #expect(args.acl == 7 && args.which == .sourcePort && args.number == 80 && args.portmask == "0xfff0")
        #expect(l4.arguments(as: .aclAction) == nil)

        guard case .command(let mac) = sw.engine.parse("mac-address-table static 00:11:22:33:44:55 vlan 3 port 2", in: config) else {
            Issue.record("line does not parse")
            return
        }
        let m = try #require(mac.arguments(as: .macStatic))
        #expect(m.mac.description == "00:11:22:33:44:55" && m.vlan == 3 && m.port == 2)
    }
}

/// Handlers in Sources/Switch register typed (`t.on(.vlanEnter) { args, ctx in }`) and read
/// `args`: a string-keyed lookup would turn a renamed parameter into a silent default again.
@Suite struct TypedHandlerSourceTests {
    @Test func switchHandlersUseNoStringKeys() throws {
        let dir = TestPaths.packageRoot.appending(path: "Sources/Switch")
        let files = try FileManager.default.contentsOfDirectory(at: dir, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "swift" && $0.lastPathComponent != "TypedHandlers.swift" }
        let forbidden = ["t.on(\"", "ctx.arguments", "modeArguments", "has(keyword:", "ctx.command.action"]
        for file in files {
            let text = try String(contentsOf: file, encoding: .utf8)
            for pattern in forbidden where text.contains(pattern) {
                Issue.record("\(file.lastPathComponent) uses \(pattern)")
            }
        }
    }
}
