import Dataplane
import FrameTestSupport

/// Records every egress frame in order (a real sink, as a capture file would be).
final class CollectingSink: EgressSink {
    var frames: [EgressFrame] = []
    /// Ports whose transmissions fail, to exercise `txDropped`.
    var refusingPorts: Set<Int> = []

    func transmit(_ frame: UnsafeRawBufferPointer, port: Int) -> Bool {
        guard !refusingPorts.contains(port) else { return false }
        frames.append(EgressFrame(port: port, bytes: Array(frame)))
        return true
    }

    func take() -> [EgressFrame] {
        defer { frames.removeAll() }
        return frames
    }
}

extension ForwardingPipeline {
    /// Processes a byte array (test convenience).
    func process(_ bytes: [UInt8], on port: Int) {
        bytes.withUnsafeBytes { process(frame: $0, ingressPort: port) }
    }

    func process(_ frame: FrameBuilder, on port: Int) { process(frame.bytes, on: port) }
}

/// Checks the accounting law on every port: every received frame has one fate.
func everyFrameAccounted(_ pipeline: ForwardingPipeline) -> Bool {
    pipeline.allCounters().allSatisfy { $0.rxFrames == $0.accounted }
}
