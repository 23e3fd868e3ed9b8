import SwitchTypes

/// Told of each station learned or moved, on the forwarding thread, before the
/// frame that taught it is forwarded. It must return quickly and must not wait
/// on anything: it hands the event to another thread (through a bounded ring).
public protocol LearningObserver: AnyObject {
    /// A station was newly learned or moved port.
    /// - Returns: false when the event could not be taken (the hand-over is full): the
    ///   dataplane then forgets the station's entry, so its next frame reports it again.
    func stationLearned(_ event: LearningEvent) -> Bool
}
