import Console
import Frames

/// `show virt vmcheck`: advanced VM validation's settings, every VM judged against the VM
/// managers' inventories, and the VMs blocked by a switch ACL.
struct VirtVMCheckReport: ShowReport {
    struct Judged: Encodable {
        var mac: MACAddress
        var port: String
        /// `unmanaged` (no managed host behind its port), `trusted`, `verified`, `unverified`,
        /// `spoofed` or `stale`.
        var verdict: String
        /// Verified: the host behind the port that runs it, and the domain's UUID. Spoofed:
        /// the other host that runs it.
        var host: String?
        var uuid: String?
    }

    struct Block: Encodable {
        var mac: MACAddress
        var port: String
        /// The switch ACL that blocks it (257 and up).
        var acl: Int
    }

    /// `log`, `link` or `acl`.
    var advancedAction: String
    var blocksUsed: Int
    var blocksMax: Int
    /// Blocks not made because `acls max` were in use.
    var blocksRefused: Int
    var trustedPorts: [String]
    var vms: [Judged]
    var blocks: [Block]

    init(_ sw: VMreadySwitch) {
        let (settings, blocks) = sw.state.withLock { ($0.virt.vmcheck, $0.vmcheckBlocks) }
        let (verdicts, refused) = sw.vmManager.state.withLock { ($0.verdicts, $0.blocksRefused) }
        advancedAction = settings.advancedAction.rawValue
        blocksUsed = blocks.count
        blocksMax = settings.aclsMax
        blocksRefused = refused
        trustedPorts = settings.trustedPorts.sorted().map(String.init)
        vms = verdicts.sorted { $0.key < $1.key }.map { mac, judged in
            var row = Judged(mac: mac, port: String(judged.port), verdict: judged.verdict.label)
            switch judged.verdict {
            case .unmanaged: row.verdict = "unmanaged"
            case .verified(let host, let uuid): row.host = host; row.uuid = uuid
            case .spoofed(let host): row.host = host
            case .trusted, .unverified, .stale: break
            }
            return row
        }
        self.blocks = blocks.enumerated().map { offset, block in
            Block(mac: block.mac, port: String(block.port), acl: 257 + offset)
        }
    }

    var lines: [String] {
        var out = ["Advanced validation: action \(advancedAction), blocks \(blocksUsed) of \(blocksMax) used"
                   + (blocksRefused > 0 ? ", \(blocksRefused) refused (acls max)" : "")
                   + (trustedPorts.isEmpty ? "" : "; trusted port \(VirtVMManagerReport.portList(trustedPorts))")]
        let rows = vms.map { vm in
            [vm.mac.description, vm.port, vm.verdict == "unmanaged" ? "-" : vm.verdict, Self.detail(vm)]
        }
        out += rows.isEmpty ? ["No VM has been judged against a VM manager"] : VMManagerReport.table(["MAC", "Port", "Verdict", "Detail"], rows)
        for block in blocks {
            out.append("Blocked: \(block.mac) on port \(block.port) (switch ACL \(block.acl))")
        }
        return out
    }

    private static func detail(_ vm: Judged) -> String {
        switch vm.verdict {
        case "verified": "\(vm.host ?? "") runs it (\(vm.uuid ?? ""))"
        case "spoofed": "\(vm.host ?? "") runs it, not a host behind this port"
        case "unverified": "unknown to every VM manager"
        case "stale": "a host that would decide is down"
        default: ""
        }
    }
}
