import SwitchTypes

/// A frame the dataplane took off the forwarding path for the control plane, as
/// the consumer sees it in `PuntRing.receive`. `bytes` points into the ring's
/// slot and is valid only during the call: copy it to keep it.
public struct PuntedFrame {
    /// The port it was received on, 1-based.
    public let port: Int
    /// The switch time it was received at (a replayed capture's own timestamp).
    public let time: Timestamp
    /// The frame as received, tag included when it had one.
    public let bytes: UnsafeRawBufferPointer
}
