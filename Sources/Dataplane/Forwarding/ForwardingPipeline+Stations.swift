import Frames
import SwitchTypes

/// Station policies installed one at a time: a VM arriving, moving or leaving,
/// or its profile changing, costs work proportional to that one station (and
/// to the VLANs its MAC may be learned in), not to the number of stations.
extension ForwardingPipeline {
    /// Installs, replaces (non-nil) or removes (nil) the policies of the given
    /// stations, between batches. A station kept keeps its learned location, drop
    /// counts and unchanged buckets' state; its VLAN membership follows at once;
    /// the MAC table's entries for its MAC are retagged. New stations beyond
    /// `BridgeConfiguration.maximumStationPolicies` (`stationLimit`) are refused and counted
    /// (`stationTableStatistics().refusedCount`), in MAC order. A policy that
    /// `BridgeConfiguration.validate(stationPolicy:portCount:)` refuses is ignored
    /// (`ForwardingEngine.updateStationPolicies` refuses the whole change first).
    /// Between batches only, never from a `LearningObserver` (called mid-batch): the
    /// table's arrays may move, and the batch being forwarded holds them.
    public func updateStationPolicies(_ changes: [MACAddress: StationPolicy?]) {
        guard !changes.isEmpty else { return }
        var touched: [(mac: UInt64, oldVLAN: UInt16)] = []
        touched.reserveCapacity(changes.count)
        var retagAll = false
        reserveStations(for: changes)
        // In MAC order, so that which new stations the bound refuses does not depend
        // on the dictionary's (per-process) order. Keys only: policies are large to move.
        for mac in changes.keys.sorted() {
            guard let policy = changes[mac] else { continue }
            let key = mac.rawValue
            let index = stations.index(of: key)
            let oldVLAN = index.map { stations.attributes[$0].vlan } ?? 0
            if let policy {
                guard (try? BridgeConfiguration.validate(stationPolicy: policy, portCount: portCount)) != nil else {
                    continue
                }
                if policy.vlan != 0, !stationVLANs.contains(policy.vlan) {
                    stationVLANs.insert(policy.vlan)
                    entryVLANs = nil
                }
                if let index {
                    stations.update(at: index, policy, now: policingTime)
                } else {
                    guard stations.count < stationLimit else {
                        refusedStationPolicies &+= 1
                        continue
                    }
                    if stations.isFull {
                        // Holes are only reclaimed by a new table, which renumbers the stations.
                        if stations.holeCount > 0, 2 * stations.holeCount >= stations.capacity {
                            recompileStations(stations.entries, configuration: configuration,
                                              minimumCapacity: stations.capacity)
                            retagAll = true
                        } else {
                            stations.grow()
                        }
                    }
                    stations.insert(key, policy, now: policingTime)
                }
            } else if let index {
                stations.remove(at: index)
            } else {
                continue
            }
            touched.append((key, oldVLAN))
        }
        stationLookup = stations.lookup
        policyActive = stations.count > 0 || acls.hasPortACLs
        dropStaleEntries(touched)
        if retagAll {
            retagAllStations()
        } else {
            retagStations(touched.map(\.mac))
        }
    }

    /// The station table's size, bound and refusals.
    public func stationTableStatistics() -> StationTableStatistics {
        StationTableStatistics(count: stations.count, maximum: stationLimit,
                               refusedCount: refusedStationPolicies)
    }

    /// Grows the table once for a large batch of new stations (the VM layer's
    /// start-up) rather than doubling it again and again as they arrive.
    private func reserveStations(for changes: [MACAddress: StationPolicy?]) {
        guard changes.count > 1024 else { return }
        let additions = changes.reduce(0) { total, change in
            total + (change.value != nil && stations.index(of: change.key.rawValue) == nil ? 1 : 0)
        }
        let needed = stations.indexCount + min(additions, stationLimit - stations.count)
        // With many holes the table is compacted instead (see `updateStationPolicies`).
        if needed > stations.capacity, 2 * stations.holeCount < stations.capacity { stations.grow(toHold: needed) }
    }

    // MARK: Whole table

    /// `configuration`'s station policies in MAC order, up to the bound (the rest are counted as refused).
    func boundedStationPolicies(_ configuration: BridgeConfiguration) -> [(MACAddress, StationPolicy)] {
        let sorted = configuration.stationPolicies.sorted { $0.key < $1.key }
        let kept = sorted.prefix(stationLimit)
        refusedStationPolicies &+= UInt64(sorted.count - kept.count)
        return kept.map { ($0.key, $0.value) }
    }

    /// Compiles a new station table from `entries`, the stations of the current one
    /// keeping their state (see `StationTable.init`), and withdraws the current
    /// one's membership first. The caller retags the MAC table.
    func recompileStations(_ entries: [(MACAddress, StationPolicy)], configuration: BridgeConfiguration,
                           minimumCapacity: Int = 0) {
        for (_, policy) in entries where policy.vlan != 0 && !stationVLANs.contains(policy.vlan) {
            stationVLANs.insert(policy.vlan)
            entryVLANs = nil
        }
        stations.membership.withdraw()
        stations = StationTable(entries: entries, configuration: configuration, acls: acls, previous: stations,
                                now: policingTime, plan: plan, minimumCapacity: minimumCapacity)
    }

    /// Rewrites every MAC table entry's station tag (the stations were renumbered).
    func retagAllStations() {
        let lookup = stationLookup
        macTable.retagStations { mac in lookup.index(of: mac).map(lookup.tag(for:)) ?? 0 }
    }

    // MARK: One station's MAC table entries

    /// Retags the MAC table entries of `macs`, probing each VLAN an entry may be in
    /// (`stationEntryVLANs`) — or, when that would probe more than a sweep reads,
    /// sweeps the table once.
    private func retagStations(_ macs: [UInt64]) {
        let vlans = stationEntryVLANs()
        guard macs.count * vlans.count <= macTable.capacity / 4 else { return retagAllStations() }
        for mac in macs {
            let tag = stations.tag(of: mac)
            for vlan in vlans { macTable.retagStation(key: UInt64(vlan) << 48 | mac, tag: tag) }
        }
    }

    /// The VLANs where MAC table entries may be: those that exist, the ports'
    /// untagged ones, those of static entries and every VLAN a station policy has
    /// named (a port carries it while a station there needs it). Frames are
    /// classified into no other, so no entry of another VLAN can be reached.
    private func stationEntryVLANs() -> [UInt16] {
        if let entryVLANs { return entryVLANs }
        var vlans = configuration.vlans.existing.union(stationVLANs)
        for entry in configuration.staticMACEntries { vlans.insert(entry.vlan) }
        for port in 1...plan.capacity where plan.untaggedVLAN(of: port) != 0 { vlans.insert(plan.untaggedVLAN(of: port)) }
        let list = vlans.members
        entryVLANs = list
        return list
    }

    /// Removes the learned entry of each changed station in the VLAN its policy
    /// named before, when the port it is on no longer carries that VLAN (its
    /// membership went with the policy), as recompiling the whole table would
    /// by sweeping the MAC table: frames to it are then flooded in the VLAN
    /// instead of dropped for an unavailable destination.
    private func dropStaleEntries(_ touched: [(mac: UInt64, oldVLAN: UInt16)]) {
        for (mac, vlan) in touched where vlan != 0 {
            let address = MACAddress(rawValue: mac)
            guard let port = macTable.port(for: address, vlan: vlan, at: now) else { continue }
            if !plan.isEnabled(port) || !plan.isMember(port, of: vlan) { macTable.removeDynamic(address, vlan: vlan) }
        }
    }

    /// A VM manager reports the station running behind `port` now (started or resumed
    /// there): its VLAN membership moves to `port` at once and frames to it go there,
    /// before its first frame on that port (vm-manager.md, "Pre-provisioning"). A station
    /// without a policy, or a port where policies do not apply, changes nothing: its
    /// first frame places it as ever. Between batches (`ForwardingEngine.perform`).
    public func expectStation(_ mac: MACAddress, on port: Int) {
        guard port >= 1, port <= portCount, stations.isPolicyPort(port),
              let index = stations.index(of: mac.rawValue) else { return }
        stations.relocate(index, learnedOn: port)
        let vlan = stations.attributes[index].vlan
        guard vlan != 0 else { return }
        macTable.learn(mac, vlan: vlan, port: port, at: now)
        macTable.retagStation(key: MACTableSlot.key(mac: mac, vlan: vlan), tag: stations.tag(of: mac.rawValue))
    }

    /// A VM manager reports the station stopped: it leaves its port's VLAN membership (the
    /// port keeps the VLAN while another station there needs it) and its MAC entry goes.
    public func withdrawStation(_ mac: MACAddress) {
        guard let index = stations.index(of: mac.rawValue) else { return }
        stations.relocate(index, learnedOn: 0)
        let vlan = stations.attributes[index].vlan
        if vlan != 0 { macTable.removeDynamic(mac, vlan: vlan) }
    }
}
