import Foundation
import TestSupport

extension TmuxTerminal {
    /// Starts `vmready --state-dir <fresh temp dir>` in a `columns` x `rows` window.
    convenience init(rows: Int = 30, columns: Int = 100) throws {
        try self.init(rows: rows, columns: columns) { dir in
            [try TmuxTerminal.vmreadyBinary().path, "--state-dir", dir.appendingPathComponent("state").path]
        }
    }
}
