import CXDP

/// A port on a live Linux interface through AF_XDP (libxdp's default program, or the XDP
/// fast path's, redirecting to one socket per rx queue): frames are read from the rx rings
/// in batches and lent to the `FrameBatch` where they lie until it is processed
/// (`receiveDone`), and written into UMEM
/// frames the port owns, with one kernel wakeup per batch (`flushTransmits`).
/// Nothing is allocated per frame. See README.md, "AF_XDP ports".
public final class XDPPort {
    /// The interface name, e.g. `veth1`.
    public let interface: String
    /// The XDP hook the port's program is attached to.
    public let mode: XDPMode
    /// The fast-path program on the port's hook, nil for libxdp's default one. Kept so the
    /// program outlives the port that uses it.
    let fastPath: XDPFastPath?
    private let port: OpaquePointer
    /// Where a peek leaves the received frames: one slot per frame of a full batch.
    private let frames: UnsafeMutablePointer<UnsafePointer<UInt8>?>
    private let lengths: UnsafeMutablePointer<UInt32>
    private static let peekCapacity = 256

    /// The largest frame a UMEM frame holds; an interface whose MTU (plus an
    /// Ethernet header and one tag) exceeds it is refused.
    public static var maximumFrameLength: Int { Int(vmready_xsk_max_frame()) }

    /// Opens `interface` on AF_XDP.
    /// - Parameter mode: `nil` for native where the driver allows it, generic otherwise.
    /// - Throws: `DataplaneError.xdp` when the kernel (or the MTU) refuses.
    public convenience init(interface: String, mode: XDPMode? = nil) throws(DataplaneError) {
        try self.init(interface: interface, mode: mode, fastPath: nil) { requested, failure in
            vmready_xsk_open(interface, requested, &failure)
        }
    }

    /// Opens `interface` as switch port `port` on AF_XDP with the XDP fast path's program on
    /// its hook (which hands the port's sockets what it does not forward itself).
    /// - Throws: `DataplaneError.xdp` as the plain port does, `.xdpFastPath` when only
    ///   the fast path's own steps fail.
    convenience init(interface: String, fastPath: XDPFastPath, port switchPort: Int) throws(DataplaneError) {
        try self.init(interface: interface, mode: nil, fastPath: fastPath) { requested, failure in
            vmready_xsk_open_fast(interface, requested, fastPath.handle, UInt32(truncatingIfNeeded: switchPort), &failure)
        }
    }

    private init(interface: String, mode: XDPMode?, fastPath: XDPFastPath?,
                 open: (vmready_xdp_mode, inout vmready_xsk_failure) -> OpaquePointer?) throws(DataplaneError) {
        self.interface = interface
        self.fastPath = fastPath
        var failure = vmready_xsk_failure()
        let requested: vmready_xdp_mode = switch mode {
        case nil: VMREADY_XDP_AUTOMATIC
        case .native: VMREADY_XDP_NATIVE
        case .generic: VMREADY_XDP_GENERIC
        }
        guard let port = open(requested, &failure) else {
            let step = failure.step.map { String(cString: $0) } ?? "open"
            if fastPath != nil, step == "bpf_xdp_attach" || step == "bpf_map_update_elem" || step == "port" {
                throw .xdpFastPath(target: interface, step: step, errno: failure.error)
            }
            throw .xdp(target: interface, step: step, errno: failure.error, mtu: failure.mtu > 0 ? Int(failure.mtu) : nil)
        }
        self.port = port
        self.mode = vmready_xsk_mode(port) == VMREADY_XDP_NATIVE ? .native : .generic
        frames = .allocate(capacity: Self.peekCapacity)
        lengths = .allocate(capacity: Self.peekCapacity)
    }

    deinit {
        vmready_xsk_close(port)
        frames.deallocate()
        lengths.deallocate()
    }

    /// How many rx queues (one socket each) the port reads.
    public var queueCount: Int { Int(vmready_xsk_queue_count(port)) }
}

/// Where an AF_XDP port's program runs.
public enum XDPMode: String, Sendable {
    /// In the driver.
    case native
    /// In the generic stack, for drivers without XDP.
    case generic
}

extension XDPPort: PortDevice {
    var name: String { interface }

    /// Every rx queue's socket: the forwarding thread sleeps on them with poll(2), never
    /// epoll (see vmready_xsk_socket_descriptor).
    var pollDescriptors: [Int32] { (0..<queueCount).map { vmready_xsk_socket_descriptor(port, UInt32($0)) } }

    var needsTransmitFlush: Bool { true }

    func receive(into batch: FrameBatch, port portNumber: Int, limit: Int) -> Int {
        let count = Int(vmready_xsk_rx_peek(port, UInt32(min(limit, Self.peekCapacity)), frames, lengths))
        var received = 0
        // Lent, not copied: the UMEM frames stay the switch's until receiveDone gives them
        // back to the kernel, after the batch is processed.
        for index in 0..<count {
            let frame = UnsafeRawBufferPointer(start: frames[index], count: Int(lengths[index]))
            if batch.lend(frame, port: portNumber) { received += 1 }
        }
        return received
    }

    var lendsReceivedFrames: Bool { true }

    func receiveDone() { vmready_xsk_rx_release(port) }

    func transmit(_ frame: UnsafeRawBufferPointer) -> Bool { sender(frame) }

    func flushTransmits() { vmready_xsk_tx_flush(port) }

    var directTransmit: DirectTransmit? { sender }

    private var sender: DirectTransmit { DirectTransmit(send: vmready_xsk_tx, target: port) }
}
