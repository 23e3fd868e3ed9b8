import Frames
import SwitchTypes

/// The MAC address table: (VLAN, MAC) → port, with learning, moves, ageing,
/// static entries, a hard bound on dynamic entries and optional per-port bounds.
///
/// Open addressing with linear probing over one preallocated slot array, kept
/// at most half full, so a lookup touches one or two cache lines and no frame
/// ever allocates. Deletion shifts the following cluster back (no tombstones),
/// so heavy churn — a MAC flood ageing out — never degrades lookups. The array
/// is only reallocated by configuration (a new limit or more static entries),
/// never by traffic: a flood leaves memory flat.
///
/// Background work is sliced so that no call costs more than a bounded number
/// of slots: ageing walks a cursor over a slice per call (`MACTable+Ageing`), and
/// a full table evicts one entry of the port holding the most, found by a
/// bounded search (`MACTable+Eviction`), instead of refusing every new station.
///
/// Not thread-safe: it belongs to the forwarding thread (see `ForwardingEngine`).
public final class MACTable {
    /// Most dynamic entries; when reached, learning a new station evicts one
    /// entry of the port holding the most (see `MACTable+Eviction`).
    public private(set) var limit: Int
    /// Slots allocated (a power of two, at least twice `limit` plus static entries).
    public private(set) var capacity: Int
    /// Dynamic entries stored (including expired ones not yet swept).
    public private(set) var dynamicCount = 0
    /// Static entries stored.
    public private(set) var staticCount = 0
    /// Idle seconds after which a dynamic entry expires; 0 means never.
    public var ageingSeconds: Int
    /// Stations not learned because the table was full and the bounded search
    /// found nothing to evict (only when static entries crowd the slots searched).
    public private(set) var refusedLearnCount: UInt64 = 0
    /// Stations not learned because their port held its `portLimit`.
    public private(set) var portLimitRefusedCount: UInt64 = 0
    /// Dynamic entries evicted to make room for a new station in a full table.
    public internal(set) var evictedCount: UInt64 = 0
    /// Advances whenever an entry is removed or rewritten other than by learning
    /// its own key (removal, ageing, static entries, retagging, a new limit):
    /// what a caller saw of an entry in one epoch holds for the whole epoch,
    /// except for learning that very key. (Learning other keys only inserts,
    /// which moves no entry; an insertion that evicts removes one, which advances
    /// it.) Ageing and eviction remove through `removeSlot`, which advances it.
    /// See `StationRecord.isEntryCurrent`.
    private(set) var epoch: UInt32 = 0

    // Internal rather than private: the ageing and eviction extensions share them.
    private(set) var slots: UnsafeMutablePointer<MACTableSlot>
    private(set) var mask: Int
    private var shift: UInt64
    /// Per-port entries, limits and evictions.
    let ports = MACTablePortLedger()
    /// Where the next ageing slice starts.
    var ageingCursor = 0
    /// Slot visits owed to ageing, in slot-nanoseconds (see `MACTable+Ageing`).
    var ageingCredit: Int64 = 0
    /// When ageing last ran, in nanoseconds; nil before the first call.
    var ageingClock: Int64?
    /// Where the next eviction search starts.
    var evictionCursor = 0
    /// Told of every entry added, moved, retagged or removed (the XDP fast path keeps a
    /// copy of the table in the kernel); nil without one, which costs a nil check per change.
    var changeLog: MACTableChangeLog?
    /// When an entry is found expired: the last time (switch seconds) the station was seen
    /// somewhere the table does not see (frames the XDP fast path forwarded in the kernel),
    /// nil when unknown. A later time revives the entry instead of ageing it out.
    var externalActivity: ((UInt64) -> UInt32?)?

    /// Creates an empty table.
    /// - Parameters:
    ///   - limit: most dynamic entries (at least 1).
    ///   - staticReserve: room to set aside for static entries.
    ///   - ageingSeconds: idle time before a dynamic entry expires; 0 = never.
    public init(limit: Int = 32768, staticReserve: Int = 0, ageingSeconds: Int = 300) {
        self.limit = max(1, limit)
        self.ageingSeconds = max(0, ageingSeconds)
        capacity = MACTable.capacity(for: self.limit + max(0, staticReserve))
        mask = capacity - 1
        shift = UInt64(64 - capacity.trailingZeroBitCount)
        slots = .allocate(capacity: capacity)
        slots.initialize(repeating: .empty, count: capacity)
    }

    deinit {
        slots.deallocate()
        ports.deallocate()
    }

    /// All entries stored, live or expired but not yet swept.
    public var count: Int { dynamicCount + staticCount }

    /// Bytes of slot storage: constant between configuration changes.
    public var storageBytes: Int { capacity * MemoryLayout<MACTableSlot>.stride }

    // MARK: Lookup and learning (the forwarding path)

    /// The port for (mac, vlan), or nil when unknown or expired at `now`.
    public func port(for mac: MACAddress, vlan: UInt16, at now: Timestamp) -> Int? {
        let port = lookup(key: MACTableSlot.key(mac: mac, vlan: vlan), nowSeconds: MACTable.seconds(now))
        return port == 0 ? nil : port
    }

    /// Learns that `mac` in `vlan` is behind `port` (1...`BridgeConfiguration.maximumPorts`) at `now`.
    @discardableResult
    public func learn(_ mac: MACAddress, vlan: UInt16, port: Int, at now: Timestamp) -> LearnResult {
        precondition(port >= 1 && port < MACTablePortLedger.rows, "port \(port) out of range")
        return learn(key: MACTableSlot.key(mac: mac, vlan: vlan), port: UInt16(truncatingIfNeeded: port),
              nowSeconds: MACTable.seconds(now))
    }

    /// Port for `key`, 0 when absent or expired (an expired entry is removed here,
    /// so ageing is exact even between sweeps).
    @inline(__always)
    func lookup(key: UInt64, nowSeconds: UInt32) -> Int {
        lookupWithStationTag(key: key, nowSeconds: nowSeconds).port
    }

    /// What `MACTablePrefetcher` needs, for a loop to keep in registers.
    var prefetcher: MACTablePrefetcher { MACTablePrefetcher(slots: UnsafeRawPointer(slots), shift: shift) }

    /// Port and station tag for `key`, (0, 0) when absent or expired (an expired
    /// entry is removed here, so ageing is exact even between sweeps).
    @inline(__always)
    func lookupWithStationTag(key: UInt64, nowSeconds: UInt32) -> (port: Int, stationTag: UInt16) {
        lookupWithStationTag(key: key, home: home(of: key), nowSeconds: nowSeconds)
    }

    /// `lookupWithStationTag(key:nowSeconds:)` for a caller that has hashed the key:
    /// `home` is where its probe starts (`MACTablePrefetcher.prefetch(key:)`).
    @inline(__always)
    func lookupWithStationTag(key: UInt64, home: Int, nowSeconds: UInt32) -> (port: Int, stationTag: UInt16) {
        var index = home
        while true {
            let slot = slots[index]
            if slot.key == key {
                if isExpired(slot, nowSeconds: nowSeconds) {
                    if isRevived(at: index, nowSeconds: nowSeconds) { return (Int(slot.port), slot.stationTag) }
                    removeSlot(at: index)
                    return (0, 0)
                }
                return (Int(slot.port), slot.stationTag)
            }
            if slot.key == 0 { return (0, 0) }
            index = (index + 1) & mask
        }
    }

    /// Learns `key` on `port`; a new entry caches `stationTag` (see `MACTableSlot.flags`).
    ///
    /// A port at its limit learns no new station (`.portLimit`): it refuses rather
    /// than evicting one of its own, so the stations it already has keep working
    /// however hard it floods, and a flood cannot churn the table (each eviction
    /// advances the epoch and is a learning event). A station moving onto such a
    /// port loses its entry (it would point at the old port) and is flooded to
    /// until its port has room.
    @inline(__always)
    func learn(key: UInt64, port: UInt16, nowSeconds: UInt32, stationTag: UInt16 = 0) -> LearnResult {
        var index = home(of: key)
        while true {
            let slot = slots[index]
            if slot.key == key {
                if slot.isStatic { return .staticEntry }
                if slot.port == port,
                   !isExpired(slot, nowSeconds: nowSeconds) || isRevived(at: index, nowSeconds: nowSeconds) {
                    // Write only when the second changes: keeps the line clean on the hot path.
                    if slot.lastSeen != nowSeconds { slots[index].lastSeen = nowSeconds }
                    return .refreshed
                }
                return relearn(at: index, port: port, nowSeconds: nowSeconds, stationTag: stationTag)
            }
            if slot.key == 0 {
                return insert(key: key, at: index, port: port, nowSeconds: nowSeconds, stationTag: stationTag)
            }
            index = (index + 1) & mask
        }
    }

    /// `learn` for a known dynamic key that moved or expired (rare: kept out of line).
    @inline(never)
    private func relearn(at index: Int, port: UInt16, nowSeconds: UInt32, stationTag: UInt16) -> LearnResult {
        let slot = slots[index]
        if slot.port != port, ports.isAtLimit(port) {
            portLimitRefusedCount &+= 1
            removeSlot(at: index)
            return .portLimit
        }
        ports.entries[Int(slot.port)] -= 1
        ports.entries[Int(port)] += 1
        changeLog?.record(slot.key)
        if isExpired(slot, nowSeconds: nowSeconds), !isRevived(at: index, nowSeconds: nowSeconds) {
            // An expired entry is a new station as far as observers go.
            slots[index] = MACTableSlot(key: slot.key, lastSeen: nowSeconds, port: port, flags: stationTag << 1)
            return .learned
        }
        slots[index].port = port
        slots[index].lastSeen = nowSeconds
        return .moved(from: Int(slot.port))
    }

    /// `learn` for a new key, whose probe ended at the empty slot `index`: within
    /// the port's limit, and evicting when the table is full.
    @inline(__always)
    private func insert(key: UInt64, at index: Int, port: UInt16, nowSeconds: UInt32, stationTag: UInt16) -> LearnResult {
        if ports.isAtLimit(port) {
            portLimitRefusedCount &+= 1
            return .portLimit
        }
        var index = index
        if dynamicCount >= limit {
            guard evictFairly(nowSeconds: nowSeconds) else {
                refusedLearnCount &+= 1
                return .tableFull
            }
            // The removal may have shifted the cluster: probe again (the key is absent).
            index = home(of: key)
            while slots[index].key != 0 { index = (index + 1) & mask }
        }
        slots[index] = MACTableSlot(key: key, lastSeen: nowSeconds, port: port, flags: stationTag << 1)
        changeLog?.record(key)
        dynamicCount += 1
        ports.entries[Int(port)] += 1
        return .learned
    }

    // MARK: Configuration

    /// Installs or replaces a static entry, growing the slot array if needed (a
    /// configuration action, never done by traffic). Replaces a dynamic entry.
    public func setStatic(_ mac: MACAddress, vlan: UInt16, port: Int, at now: Timestamp) {
        epoch &+= 1
        let key = MACTableSlot.key(mac: mac, vlan: vlan)
        changeLog?.record(key)
        if let index = find(key: key) {
            if !slots[index].isStatic {
                dynamicCount -= 1
                ports.entries[Int(slots[index].port)] -= 1
                staticCount += 1
            }
            slots[index] = MACTableSlot(key: key, lastSeen: MACTable.seconds(now),
                                        port: UInt16(truncatingIfNeeded: port), flags: MACTableSlot.staticFlag)
            return
        }
        if 2 * (limit + staticCount + 1) > capacity {
            rebuild(limit: limit, staticReserve: (staticCount + 1) * 2)
        }
        insertFresh(MACTableSlot(key: key, lastSeen: MACTable.seconds(now),
                                 port: UInt16(truncatingIfNeeded: port), flags: MACTableSlot.staticFlag))
        staticCount += 1
    }

    /// Removes the entry for (mac, vlan), static or dynamic; returns whether one existed.
    @discardableResult
    public func remove(_ mac: MACAddress, vlan: UInt16) -> Bool {
        guard let index = find(key: MACTableSlot.key(mac: mac, vlan: vlan)) else { return false }
        removeSlot(at: index)
        return true
    }

    /// Removes the learned entry for (mac, vlan), leaving a static one alone; returns whether one went.
    @discardableResult
    public func removeDynamic(_ mac: MACAddress, vlan: UInt16) -> Bool {
        guard let index = find(key: MACTableSlot.key(mac: mac, vlan: vlan)), !slots[index].isStatic else { return false }
        removeSlot(at: index)
        return true
    }

    /// Changes the limit. The slot array is reallocated when the needed capacity
    /// changes; if more dynamic entries exist than the new limit allows, the
    /// excess is dropped (they will be learned again if room appears).
    public func setLimit(_ newLimit: Int) {
        let newLimit = max(1, newLimit)
        guard newLimit != limit else { return }
        rebuild(limit: newLimit, staticReserve: staticCount)
    }

    /// Removes dynamic entries for which `predicate(vlan, port)` is true
    /// (used for `clear mac-address-table` and when a port leaves a VLAN).
    /// - Returns: how many were removed.
    @discardableResult
    public func removeDynamic(where predicate: (_ vlan: UInt16, _ port: Int) -> Bool) -> Int {
        removeSlots { !$0.isStatic && predicate(UInt16(truncatingIfNeeded: $0.key >> 48), Int($0.port)) }
    }

    /// Removes every static entry not in `keep` (configuration replaced them).
    @discardableResult
    func removeStatic(notIn keep: Set<UInt64>) -> Int {
        removeSlots { $0.isStatic && !keep.contains($0.key) }
    }

    /// Sets the per-port limits (port → most dynamic entries; absent = none). A
    /// port already above its new limit keeps its entries and learns no new
    /// station until ageing or clearing brings it under.
    public func setPortLimits(_ limits: [Int: Int]) {
        ports.setLimits(limits)
    }

    /// The dynamic entries `port` holds (expired ones not yet reclaimed included:
    /// this is what its limit counts).
    public func dynamicCount(port: Int) -> Int {
        port > 0 && port < MACTablePortLedger.rows ? Int(ports.entries[port]) : 0
    }

    /// `port`'s limit, nil when it has none.
    public func portLimit(_ port: Int) -> Int? {
        guard port > 0, port < MACTablePortLedger.rows, ports.limits[port] != 0 else { return nil }
        return Int(ports.limits[port])
    }

    /// Entries of `port` evicted to make room in a full table.
    public func evictedCount(port: Int) -> UInt64 {
        port > 0 && port < MACTablePortLedger.rows ? ports.evicted[port] : 0
    }

    /// Rewrites every entry's station tag from `tag(mac)` (the station table was
    /// recompiled, or static entries were replaced).
    func retagStations(_ tag: (UInt64) -> UInt16) {
        epoch &+= 1
        changeLog?.markResync()
        for index in 0..<capacity where slots[index].key != 0 {
            let flags = slots[index].flags & MACTableSlot.staticFlag
            slots[index].flags = flags | tag(slots[index].key & 0xffff_ffff_ffff) << 1
        }
    }

    /// Rewrites the station tag of `key`'s entry, if there is one (one station's
    /// policy changed). No epoch change: the entry's VLAN, port and time stay.
    func retagStation(key: UInt64, tag: UInt16) {
        guard let index = find(key: key) else { return }
        slots[index].flags = slots[index].flags & MACTableSlot.staticFlag | tag << 1
        changeLog?.record(key)
    }

    /// Clears the refused-learning and eviction counters, of every port too.
    public func resetCounters() {
        refusedLearnCount = 0
        portLimitRefusedCount = 0
        evictedCount = 0
        ports.evicted.update(repeating: 0, count: MACTablePortLedger.rows)
    }

    /// Clears `port`'s eviction counter.
    public func resetCounters(port: Int) {
        if port > 0, port < MACTablePortLedger.rows { ports.evicted[port] = 0 }
    }

    // MARK: Snapshot

    /// The live entries at `now`, sorted by MAC then VLAN.
    public func entries(at now: Timestamp) -> [MACTableEntry] {
        let nowSeconds = MACTable.seconds(now)
        var result: [MACTableEntry] = []
        result.reserveCapacity(count)
        for index in 0..<capacity {
            let slot = slots[index]
            guard slot.key != 0,
                  !isExpired(slot, nowSeconds: nowSeconds) || isRevived(at: index, nowSeconds: nowSeconds) else { continue }
            result.append(MACTableEntry(mac: MACAddress(rawValue: slot.key),
                                        vlan: UInt16(truncatingIfNeeded: slot.key >> 48),
                                        port: Int(slot.port), isStatic: slot.isStatic,
                                        lastSeen: Timestamp(seconds: Int64(slot.lastSeen))))
        }
        result.sort { ($0.mac, $0.vlan) < ($1.mac, $1.vlan) }
        return result
    }

    // MARK: Internals

    /// Slots for `entries`: a power of two at least twice as large, so the load
    /// factor stays at or below one half and probe sequences stay short.
    static func capacity(for entries: Int) -> Int {
        var capacity = 16
        while capacity < 2 * entries { capacity <<= 1 }
        return capacity
    }

    /// Whole seconds for the slot's 32-bit field, clamped (good until 2106).
    @inline(__always)
    static func seconds(_ time: Timestamp) -> UInt32 {
        UInt32(clamping: time.seconds)
    }

    @inline(__always)
    private func home(of key: UInt64) -> Int { MACTable.home(of: key, shift: shift) }

    /// The home slot of `key` in a table of `1 << (64 - shift)` slots. Fibonacci
    /// hashing: sequential MACs (common in labs) spread evenly. `&>>`: the shift
    /// is below 64 by construction, so no range check.
    @inline(__always)
    static func home(of key: UInt64, shift: UInt64) -> Int {
        Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) &>> shift)
    }

    @inline(__always)
    func isExpired(_ slot: MACTableSlot, nowSeconds: UInt32) -> Bool {
        // A replay may run backwards in time: an entry from the "future" is fresh.
        ageingSeconds > 0 && !slot.isStatic && nowSeconds >= slot.lastSeen
            && Int(nowSeconds - slot.lastSeen) >= ageingSeconds
    }

    /// For an entry found expired: true when `externalActivity` saw the station since,
    /// recently enough that it is not expired after all; its time is then brought forward.
    /// Out of line: reached only for expired entries, never on the forwarding path's common case.
    @inline(never)
    func isRevived(at index: Int, nowSeconds: UInt32) -> Bool {
        guard let externalActivity, !slots[index].isStatic,
              let seen = externalActivity(slots[index].key), seen > slots[index].lastSeen else { return false }
        slots[index].lastSeen = min(seen, nowSeconds)
        return !isExpired(slots[index], nowSeconds: nowSeconds)
    }

    /// The slot holding `key`, nil when absent.
    func find(key: UInt64) -> Int? {
        var index = home(of: key)
        while slots[index].key != 0 {
            if slots[index].key == key { return index }
            index = (index + 1) & mask
        }
        return nil
    }

    private func insertFresh(_ slot: MACTableSlot) {
        var index = home(of: slot.key)
        while slots[index].key != 0 { index = (index + 1) & mask }
        slots[index] = slot
    }

    /// Empties `index` and shifts back later members of its cluster that may
    /// live closer to their home slot, keeping every probe sequence unbroken.
    func removeSlot(at index: Int) {
        epoch &+= 1
        changeLog?.record(slots[index].key)
        if slots[index].isStatic {
            staticCount -= 1
        } else {
            dynamicCount -= 1
            ports.entries[Int(slots[index].port)] -= 1
        }
        var hole = index
        var next = (index + 1) & mask
        while slots[next].key != 0 {
            let home = home(of: slots[next].key)
            // Move when the hole lies on the path from the entry's home to where it sits.
            if (next - home) & mask >= (next - hole) & mask {
                slots[hole] = slots[next]
                hole = next
            }
            next = (next + 1) & mask
        }
        slots[hole] = .empty
    }

    private func removeSlots(where predicate: (MACTableSlot) -> Bool) -> Int {
        var removed = 0
        var index = 0
        while index < capacity {
            let slot = slots[index]
            if slot.key != 0, predicate(slot) {
                removeSlot(at: index)
                removed += 1
                // The shift may have pulled another entry into this slot: look again.
                continue
            }
            index += 1
        }
        return removed
    }

    private func rebuild(limit newLimit: Int, staticReserve: Int) {
        epoch &+= 1
        // Entries over the new limit are dropped without a removal each.
        changeLog?.markResync()
        let oldSlots = slots
        let oldCapacity = capacity
        limit = newLimit
        capacity = MACTable.capacity(for: newLimit + staticReserve)
        mask = capacity - 1
        shift = UInt64(64 - capacity.trailingZeroBitCount)
        slots = .allocate(capacity: capacity)
        slots.initialize(repeating: .empty, count: capacity)
        dynamicCount = 0
        staticCount = 0
        ports.entries.update(repeating: 0, count: MACTablePortLedger.rows)
        // The cursors must lie in the new array; where they restart does not matter.
        ageingCursor = 0
        evictionCursor = 0
        for index in 0..<oldCapacity where oldSlots[index].key != 0 {
            let slot = oldSlots[index]
            if slot.isStatic {
                staticCount += 1
            } else {
                guard dynamicCount < limit else { continue }
                dynamicCount += 1
                ports.entries[Int(slot.port)] += 1
            }
            insertFresh(slot)
        }
        oldSlots.deallocate()
    }
}
