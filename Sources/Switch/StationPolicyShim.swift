import Dataplane
import Frames
import SwitchTypes

// TEMPORARY until the dataplane's incremental station table lands: applies changes by
// recompiling the whole set.
extension ForwardingEngine {
    func updateStationPolicies(_ changes: [MACAddress: StationPolicy?]) throws(BridgeConfigurationError) {
        perform { pipeline in
            var configuration = pipeline.configuration
            for (mac, policy) in changes { configuration.stationPolicies[mac] = policy }
            try? pipeline.apply(configuration)
        }
    }
}
