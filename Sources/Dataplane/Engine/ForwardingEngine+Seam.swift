/// The control plane's side of the seam (protocols.md): reading punted frames
/// and handing frames to send. Neither ever makes the forwarding thread wait.
extension ForwardingEngine {
    /// Hands up to `limit` punted frames, oldest first, to `body` on the calling
    /// thread (the control-plane loop); each frame's bytes are valid only during
    /// its call. The forwarding thread goes on meanwhile.
    /// - Returns: how many frames `body` was given.
    @discardableResult
    public func receivePunted(limit: Int = .max, _ body: (PuntedFrame) -> Void) -> Int {
        puntedFrames.receive(limit: limit, body)
    }

    /// Installs (or removes, nil) what the forwarding thread calls after each punted
    /// frame, from its next batch on. It runs on the forwarding thread: it must
    /// only hand off (signal a semaphore, write to a pipe), never wait or work.
    public func setPuntListener(_ listener: (@Sendable () -> Void)?) {
        perform { $0.puntListener = listener }
    }

    /// Queues a frame to send out of `port` as it is (no VLAN processing), from any
    /// thread; the forwarding thread sends it before its next batch (right away when
    /// it is not running). Counted as `originated`, captured like any egress, padded
    /// with zeros to 60 bytes. A disabled port does not send it unless
    /// `evenIfDisabled` (LLDP's shutdown frame): it is counted as `txDropped` then.
    /// - Returns: false, counting the refusal (`originateRefused`), when the queue is
    ///   full, the port does not exist, or the frame is shorter than 14 bytes or
    ///   longer than 1522.
    @discardableResult
    public func transmit(_ frame: UnsafeRawBufferPointer, port: Int, evenIfDisabled: Bool = false) -> Bool {
        guard core.transmits.push(frame, port: port, evenIfDisabled: evenIfDisabled) else { return false }
        let sentInline = core.state.withLock { state -> Bool in
            guard let context = state.parked else { return false }
            context.originateQueued(from: core.transmits)
            return true
        }
        if !sentInline { core.wakeup.signal() }
        return true
    }

    /// `transmit` for a frame held in an array.
    @discardableResult
    public func transmit(_ frame: [UInt8], port: Int, evenIfDisabled: Bool = false) -> Bool {
        frame.withUnsafeBytes { transmit($0, port: port, evenIfDisabled: evenIfDisabled) }
    }
}
