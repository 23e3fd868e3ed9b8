import Console
import Foundation
import Frames
import Virtualization

/// `show virt migrations`: the most recent VM moves, newest first.
struct VirtMigrationsReport: ShowReport {
    struct Migration: Encodable {
        var time: Date
        var mac: MACAddress
        var vlan: Int
        var fromPort: String
        var toPort: String
        /// `RARP`, `GARP`, `source move`, `VM manager` or `VDP`.
        var how: String
    }

    /// Newest first.
    var migrations: [Migration]
    /// Moves since VMready was enabled, including those no longer kept.
    var total: Int

    init(_ moves: [VMMove], total: Int) {
        migrations = moves.reversed().map {
            Migration(time: $0.time.date, mac: $0.mac, vlan: Int($0.vlan), fromPort: $0.from.description,
                      toPort: $0.to.description, how: $0.how.label)
        }
        self.total = total
    }

    var lines: [String] {
        var out = ["Time             VMAC Address       VLAN  From  To    How",
                   "---------------  -----------------  ----  ----  ----  -----------"]
        for move in migrations {
            out.append(VirtReport.trimmed(pad(EventLog.stamp(move.time), 15) + "  " + move.mac.description + "  " + pad(String(move.vlan), 4) + "  "
                                          + pad(move.fromPort, 4) + "  " + pad(move.toPort, 4) + "  " + move.how))
        }
        out.append("Migrations since VMready was enabled: \(total) (newest first, last \(migrations.count) kept)")
        return out
    }
}
