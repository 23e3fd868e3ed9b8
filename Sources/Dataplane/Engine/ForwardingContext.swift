#if canImport(Glibc)
import Glibc
#endif

/// Everything the forwarding thread owns: the pipeline, the devices, the
/// batch buffer. Built on the caller's thread, then handed over whole.
///
/// `@unchecked Sendable` because ownership moves between threads, which no
/// Sendable conformance can express: the context is
/// only reachable through `EngineCore.State.parked`, taken out under the
/// lock by the one thread that then uses it, and put back under the same
/// lock when that thread is done. No two threads ever hold it at once.
final class ForwardingContext: @unchecked Sendable {
    let pipeline: ForwardingPipeline
    let io: PortIO
    /// Ports with a device to read, in port order.
    let receivers: [(port: Int, device: any PortDevice)]
    /// Files still to replay, consumed by `ForwardingEngine.start()`.
    var replaySources: [(port: Int, reader: PcapFileReader)]
    let batch: FrameBatch
    /// The devices whose frames the batch borrows until it is processed.
    let lendingDevices: [any PortDevice]
    /// Descriptors to sleep on: the devices' and the wakeup pipe's.
    var pollDescriptors: [pollfd]
    /// Rotates which port is read first, so one busy port cannot starve the others.
    var nextReceiver = 0
    /// The XDP fast path's map sync, nil when no port has the fast path.
    var fastPath: FastPathSync?

    init(pipeline: ForwardingPipeline, io: PortIO, receivers: [(port: Int, device: any PortDevice)],
         replaySources: [(port: Int, reader: PcapFileReader)], wakeup: Wakeup) {
        self.pipeline = pipeline
        self.io = io
        self.receivers = receivers
        self.replaySources = replaySources
        // Room for a full batch of the largest frames, so a receive never fails for bytes.
        batch = FrameBatch(capacity: 64, byteCapacity: 64 * ForwardingPipeline.maximumFrameLength)
        lendingDevices = receivers.map(\.device).filter(\.lendsReceivedFrames)
        var descriptors = receivers.flatMap(\.device.pollDescriptors)
        if wakeup.descriptor >= 0 { descriptors.append(wakeup.descriptor) }
        pollDescriptors = descriptors.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
    }

    /// Reads one batch from the devices and forwards it.
    /// - Returns: how many frames were processed.
    func pollDevicesOnce() -> Int {
        guard !receivers.isEmpty else { return 0 }
        for step in 0..<receivers.count where !batch.isFull {
            let receiver = receivers[(nextReceiver + step) % receivers.count]
            _ = receiver.device.receive(into: batch, port: receiver.port, limit: batch.capacity - batch.count)
        }
        nextReceiver = (nextReceiver + 1) % receivers.count
        let count = batch.count
        if count > 0 { pipeline.process(batch) }
        // Even for an empty batch: every peek must be released before the next.
        for device in lendingDevices { device.receiveDone() }
        if count > 0 {
            batch.removeAll()
            io.flushTransmits()
            fastPath?.catchUp(pipeline)
        }
        return count
    }

    /// After configuration or other control work ran on the pipeline: the fast path's
    /// port eligibility follows the configuration before the next frame.
    func controlWorkDone() {
        guard let fastPath else { return }
        fastPath.publish(pipeline)
        fastPath.catchUp(pipeline)
    }

    /// Sends the frames the control plane queued, then flushes the devices that queue.
    func originateQueued(from transmits: TransmitQueue) {
        if pipeline.originateQueued(from: transmits) > 0 { io.flushTransmits() }
    }

    /// Sleeps until a device or the wakeup pipe is readable, or `timeout` ms pass.
    func sleep(milliseconds timeout: Int32) {
        if pollDescriptors.isEmpty {
            usleep(UInt32(timeout) * 1000)
        } else {
            _ = poll(&pollDescriptors, nfds_t(pollDescriptors.count), timeout)
        }
    }
}
