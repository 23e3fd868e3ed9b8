/// The MAC table's per-port bookkeeping: dynamic entries held, the configured
/// limit and the entries evicted, indexed directly by port (1-based, row 0
/// unused). Preallocated once, so learning counts without allocating, and small
/// (65 rows) so finding the fullest port is a short scan instead of a search of
/// the table.
struct MACTablePortLedger {
    /// Rows: every port number a configuration may use, plus the unused row 0.
    static let rows = BridgeConfiguration.maximumPorts + 1

    /// Dynamic entries per port, expired ones not yet reclaimed included.
    let entries: UnsafeMutablePointer<Int32>
    /// Most dynamic entries per port; 0 = only the table's limit applies.
    let limits: UnsafeMutablePointer<Int32>
    /// Entries of each port evicted to make room in a full table.
    let evicted: UnsafeMutablePointer<UInt64>

    init() {
        entries = .allocate(capacity: MACTablePortLedger.rows)
        entries.initialize(repeating: 0, count: MACTablePortLedger.rows)
        limits = .allocate(capacity: MACTablePortLedger.rows)
        limits.initialize(repeating: 0, count: MACTablePortLedger.rows)
        evicted = .allocate(capacity: MACTablePortLedger.rows)
        evicted.initialize(repeating: 0, count: MACTablePortLedger.rows)
    }

    /// Frees the storage (the owning table's deinit).
    func deallocate() {
        entries.deallocate()
        limits.deallocate()
        evicted.deallocate()
    }

    /// True when `port` holds as many dynamic entries as its limit allows.
    @inline(__always)
    func isAtLimit(_ port: UInt16) -> Bool {
        let limit = limits[Int(port)]
        return limit != 0 && entries[Int(port)] >= limit
    }

    /// The port holding the most dynamic entries (the lowest such port on a tie),
    /// 0 when none holds any.
    func fullestPort() -> UInt16 {
        var best = 0
        var most: Int32 = 0
        for port in 1..<MACTablePortLedger.rows where entries[port] > most {
            most = entries[port]
            best = port
        }
        return UInt16(best)
    }

    /// Replaces every port's limit (ports absent from `limits` get none).
    func setLimits(_ newLimits: [Int: Int]) {
        limits.update(repeating: 0, count: MACTablePortLedger.rows)
        for (port, limit) in newLimits where port > 0 && port < MACTablePortLedger.rows {
            limits[port] = Int32(clamping: limit)
        }
    }
}
