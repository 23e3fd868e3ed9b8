import Dataplane

/// The configuration the switch holds, as the CLI changes it. Guarded by the switch's lock;
/// the bridge part is published to the forwarding engine on every change.
struct SwitchState: Sendable {
    static let defaultHostname = "vmready"

    var hostname = SwitchState.defaultHostname
    /// Port descriptions, index 0 = port 1 (the dataplane has no use for them).
    var descriptions: [String?]
    /// VLANs, ports, MAC table settings: what the forwarding engine runs on.
    var bridge: SwitchConfiguration
    /// The enable secret and exec-timeout (AccessCommands).
    var access = AccessSettings()

    init(bridge: SwitchConfiguration) {
        self.bridge = bridge
        descriptions = Array(repeating: nil, count: bridge.portCount)
    }
}
