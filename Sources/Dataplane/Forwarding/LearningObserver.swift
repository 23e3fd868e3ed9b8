import SwitchTypes

/// Told of each station learned or moved, on the forwarding thread, before the
/// frame that taught it is forwarded. It must return quickly and must not wait
/// on anything (hand the event to another thread if work is needed).
public protocol LearningObserver: AnyObject {
    /// A station was newly learned or moved port.
    func stationLearned(_ event: LearningEvent)
}
