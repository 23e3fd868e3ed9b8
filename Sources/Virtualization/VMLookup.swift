import Frames

/// The known VMs, indexed the three ways a reference can name one (MAC, index, IP) and
/// kept current one VM at a time, so that resolving a reference or a detection costs
/// a lookup, never a scan of the table.
public struct VMLookup: Sendable {
    /// Every known VM by MAC.
    public private(set) var byMAC: [MACAddress: VMEntry] = [:]
    private var macOfIndex: [Int: MACAddress] = [:]
    /// The lowest index holding each IP (the IP's owner)...
    private var ipOwners: [IPv4Address: Int] = [:]
    /// ...and the other holders, ascending: rare (a clone, a spoofer), so kept apart and
    /// the common case allocates nothing per VM.
    private var ipOthers: [IPv4Address: [Int]] = [:]

    public init() {}

    /// A lookup of `entries` (e.g. a copy taken for a `show`).
    public init(_ entries: [VMEntry]) {
        for entry in entries { upsert(entry) }
    }

    public var count: Int { byMAC.count }

    /// The VM with `mac`, if known.
    public subscript(mac: MACAddress) -> VMEntry? { byMAC[mac] }

    /// The VM with `index`, if known.
    public func vm(index: Int) -> VMEntry? { macOfIndex[index].flatMap { byMAC[$0] } }

    /// The VM an IP names: of two VMs claiming one IP, the one detected first (lower index).
    public func ipOwner(_ ip: IPv4Address) -> VMEntry? {
        guard ip != .zero, let index = ipOwners[ip] else { return nil }
        return vm(index: index)
    }

    /// The references that name `vm` now: its MAC, its index, and its IP while it owns it.
    public func references(to vm: VMEntry) -> [VMReference] {
        [.mac(vm.mac), .index(vm.index)] + (ipReference(to: vm).map { [$0] } ?? [])
    }

    /// `vm`'s IP as a reference, while it owns that IP (nil otherwise).
    public func ipReference(to vm: VMEntry) -> VMReference? {
        vm.ip != .zero && ipOwner(vm.ip)?.mac == vm.mac ? .ip(vm.ip) : nil
    }

    /// Adds or replaces the VM with `entry.mac` (its index never changes; its IP may).
    public mutating func upsert(_ entry: VMEntry) {
        if let old = byMAC[entry.mac], old.ip != entry.ip { release(old.ip, index: old.index) }
        let isNewAddress = byMAC[entry.mac].map { $0.ip != entry.ip } ?? true
        byMAC[entry.mac] = entry
        macOfIndex[entry.index] = entry.mac
        if entry.ip != .zero, isNewAddress { hold(entry.ip, index: entry.index) }
    }

    /// Forgets the VM with `mac`.
    public mutating func remove(_ mac: MACAddress) {
        guard let old = byMAC.removeValue(forKey: mac) else { return }
        macOfIndex.removeValue(forKey: old.index)
        release(old.ip, index: old.index)
    }

    private mutating func hold(_ ip: IPv4Address, index: Int) {
        guard let owner = ipOwners[ip] else {
            ipOwners[ip] = index
            return
        }
        ipOwners[ip] = min(owner, index)
        var others = ipOthers[ip] ?? []
        let displaced = max(owner, index)
        others.insert(displaced, at: others.firstIndex { $0 > displaced } ?? others.endIndex)
        ipOthers[ip] = others
    }

    private mutating func release(_ ip: IPv4Address, index: Int) {
        guard ip != .zero, let owner = ipOwners[ip] else { return }
        if owner == index {
            // The next lowest holder, if any, becomes the owner.
            if var others = ipOthers[ip], !others.isEmpty {
                ipOwners[ip] = others.removeFirst()
                ipOthers[ip] = others.isEmpty ? nil : others
            } else {
                ipOwners[ip] = nil
            }
        } else if var others = ipOthers[ip] {
            others.removeAll { $0 == index }
            ipOthers[ip] = others.isEmpty ? nil : others
        }
    }
}
