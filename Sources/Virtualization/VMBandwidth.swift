import SwitchTypes

/// `virt vmpolicy vmbwidth VM ...`: per-VM rate limits. `txrate` polices what the VM
/// transmits (into the switch), `rxrate` what it receives (out of the switch);
/// `bwctrl` switches the limits on (they may be set up first and enabled later).
public struct VMBandwidth: Hashable, Sendable {
    public var txRate: RateLimit?
    public var rxRate: RateLimit?
    public var enabled = false

    public init(txRate: RateLimit? = nil, rxRate: RateLimit? = nil, enabled: Bool = false) {
        self.txRate = txRate
        self.rxRate = rxRate
        self.enabled = enabled
    }

    /// True when nothing is set (the entry can go).
    public var isEmpty: Bool { txRate == nil && rxRate == nil && !enabled }
}
