import CPrefetch

/// The forwarding path's view of a `StationTable`: its storage as plain
/// pointers and sizes, a value the pipeline copies without reference counting
/// (going through the class reference cost a retain and a release per frame).
/// Valid until the table it was taken from changes (a change may move its
/// arrays): the pipeline takes it again after every change, between batches.
struct StationLookup {
    /// Indexes in use: the stations and the holes of removed ones (see `StationTable`).
    let indexCount: Int
    /// The ports where station policies apply (port p is bit p-1).
    let policyPorts: UInt64
    /// Some station has egress buckets.
    let hasEgressPolicing: Bool
    let slots: UnsafeMutablePointer<StationSlot>
    let mask: Int
    let shift: UInt64
    let records: UnsafeMutablePointer<StationRecord>
    let attributes: UnsafeMutablePointer<StationAttributes>
    /// The egress policers, by station index (the ingress ones are in the records).
    let policers: UnsafeMutablePointer<Policer>
    /// Per station, the third buckets of both directions (ingress at 2 × index), used
    /// when its flags have `ingressThirdBucket` or `egressThirdBucket`.
    let thirdBuckets: UnsafeMutablePointer<Policer>
    /// Per station, what only queries and ACL drops touch.
    let cold: UnsafeMutablePointer<StationColdState>
    /// The stations' ACL lists, end to end (see `StationAttributes.aclStart`).
    let aclLists: UnsafeMutablePointer<UInt16>

    /// The station's index, nil when it has no policy.
    @inline(__always)
    func index(of mac: UInt64) -> Int? {
        let slot = slotIndex(of: mac)
        return slot < 0 ? nil : slots[slot].index
    }

    /// Where `mac`'s slot is, -1 when it has no policy.
    @inline(__always)
    func slotIndex(of mac: UInt64) -> Int {
        var slot = home(of: mac)
        while true {
            let key = slots[slot].key
            if key & 0xffff_ffff_ffff == mac { return slot }
            if key == 0 { return -1 }
            slot = (slot &+ 1) & mask
        }
    }

    /// The station a MAC table slot's tag names (`mac` resolves the overflow tag), nil for tag 0.
    @inline(__always)
    func station(tag: UInt16, mac: UInt64) -> Int? {
        if tag == 0 { return nil }
        let indexPart = tag &>> 1
        if indexPart != StationTable.overflowIndex { return Int(indexPart) &- 1 }
        return index(of: mac)
    }

    /// Polices a frame of `length` bytes from the station at `index`, whose flags are
    /// `flags` (with `ingressPolicing`): true when its ingress buckets admit it.
    @inline(__always)
    func admitFrom(_ index: Int, flags: UInt16, length: Int, at time: UInt64) -> Bool {
        if flags & StationRecord.ingressThirdBucket == 0 {
            return records[index].ingress.admit(length: length, at: time)
        }
        return records[index].ingress.admit(length: length, at: time, with: &thirdBuckets[2 &* index])
    }

    /// Polices a frame of `length` bytes to the station at `index`, which has egress
    /// buckets: true when they admit it.
    @inline(__always)
    func admitTo(_ index: Int, length: Int, at time: UInt64) -> Bool {
        if !attributes[index].has(StationRecord.egressThirdBucket) {
            return policers[index].admit(length: length, at: time)
        }
        return policers[index].admit(length: length, at: time, with: &thirdBuckets[2 &* index &+ 1])
    }

    /// The tag for the station at `index` (see `StationTable.tag(for:egressPolicing:)`).
    func tag(for index: Int) -> UInt16 {
        StationTable.tag(for: index, egressPolicing: attributes[index].has(StationRecord.egressPolicing))
    }

    /// True when station policies apply on `port`.
    @inline(__always)
    func isPolicyPort(_ port: Int) -> Bool { policyPorts & ForwardingPlan.bit(port) != 0 }

    /// Starts loading the record (with the ingress buckets) of the station at `index`.
    @inline(__always)
    func prefetchRecord(of index: Int) {
        vmready_prefetch_for_write(records + index)
    }

    /// Starts loading what forwarding to the station at `index` reads when it
    /// has egress buckets: its attributes and the buckets.
    @inline(__always)
    func prefetchEgressState(of index: Int) {
        vmready_prefetch(attributes + index)
        vmready_prefetch_for_write(policers + index)
    }

    /// Fibonacci hashing, as in `MACTable`: sequential MACs spread evenly.
    @inline(__always)
    func home(of mac: UInt64) -> Int {
        MACTable.home(of: mac, shift: shift)
    }
}
