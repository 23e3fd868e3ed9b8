import Dataplane

/// Records every egress port in order (a real sink, as a capture file would be).
final class CollectingSink: EgressSink {
    var ports: [Int] = []

    func transmit(_ frame: UnsafeRawBufferPointer, port: Int) -> Bool {
        ports.append(port)
        return true
    }

    /// The ports frames left on since the last call.
    func take() -> [Int] {
        defer { ports.removeAll() }
        return ports
    }
}
