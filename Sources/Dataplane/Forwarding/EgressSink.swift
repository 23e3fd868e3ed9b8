/// Where the pipeline sends frames: one call per egress port per frame.
///
/// The buffer is only valid during the call (it may be the ingress buffer or the
/// pipeline's scratch space); a sink that keeps the frame copies it. Called on
/// the forwarding thread only.
public protocol EgressSink: AnyObject {
    /// Sends `frame` out of `port` (1-based).
    /// - Returns: false when the port could not take it (counted as `txDropped`).
    func transmit(_ frame: UnsafeRawBufferPointer, port: Int) -> Bool
}
