/// Per-port counters as one flat preallocated array of `UInt64`, indexed by
/// port and field, so counting on the forwarding path is a single add.
final class CounterTable {
    /// Field indices within a port's row.
    enum Field: Int, CaseIterable {
        case rxFrames, rxBytes, txFrames, txBytes, forwarded, flooded, filtered, punted
        case txDropped, learningRefused, originated, portLimitRefused, toVNIC, txRateLimited
        // DropReason counters follow the named fields.
    }

    // Computed from the last cases (not `allCases.count`, which builds an array)
    // so the compiler folds them into constants on the forwarding path.
    @inline(__always) static var dropBase: Int { Field.txRateLimited.rawValue + 1 }
    @inline(__always) static var fieldsPerPort: Int { dropBase + DropReason.svidNotAssigned.rawValue + 1 }

    let portCount: Int
    private let values: UnsafeMutablePointer<UInt64>

    init(portCount: Int) {
        self.portCount = portCount
        // Row 0 is unused so that port numbers index directly.
        values = .allocate(capacity: (portCount + 1) * CounterTable.fieldsPerPort)
        values.initialize(repeating: 0, count: (portCount + 1) * CounterTable.fieldsPerPort)
    }

    deinit { values.deallocate() }

    // Wrapping index arithmetic: a bridge port number is small, and an overflow check is
    // two branches per count, of which a vNIC frame makes nine.
    @inline(__always)
    func add(_ field: Field, port: Int, _ amount: UInt64 = 1) {
        values[port &* CounterTable.fieldsPerPort &+ field.rawValue] &+= amount
    }

    @inline(__always)
    func addDrop(_ reason: DropReason, port: Int) {
        values[port &* CounterTable.fieldsPerPort &+ CounterTable.dropBase &+ reason.rawValue] &+= 1
    }

    func value(_ field: Field, port: Int) -> UInt64 {
        values[port * CounterTable.fieldsPerPort + field.rawValue]
    }

    func counters(port: Int) -> PortCounters {
        var result = PortCounters(port: port)
        result.rxFrames = value(.rxFrames, port: port)
        result.rxBytes = value(.rxBytes, port: port)
        result.txFrames = value(.txFrames, port: port)
        result.txBytes = value(.txBytes, port: port)
        result.forwarded = value(.forwarded, port: port)
        result.flooded = value(.flooded, port: port)
        result.filtered = value(.filtered, port: port)
        result.punted = value(.punted, port: port)
        result.originated = value(.originated, port: port)
        result.txDropped = value(.txDropped, port: port)
        result.learningRefused = value(.learningRefused, port: port)
        result.portLimitRefused = value(.portLimitRefused, port: port)
        result.toVNIC = value(.toVNIC, port: port)
        result.txRateLimited = value(.txRateLimited, port: port)
        for reason in DropReason.allCases {
            let count = values[port * CounterTable.fieldsPerPort + CounterTable.dropBase + reason.rawValue]
            if count > 0 { result.drops[reason] = count }
        }
        return result
    }

    func reset(port: Int) {
        (values + port * CounterTable.fieldsPerPort).update(repeating: 0, count: CounterTable.fieldsPerPort)
    }
}
