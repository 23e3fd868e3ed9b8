import Dataplane
import Frames

/// A MAC under `oui` with `low` as its last three octets.
func mac(oui: UInt32, _ low: UInt32) -> MACAddress {
    MACAddress(rawValue: UInt64(oui) << 24 | UInt64(low & 0xff_ffff))
}
