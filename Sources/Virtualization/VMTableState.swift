import Dataplane

/// The VM-awareness state proper, as a plain value: `VMTable` wraps it in a
/// lock. Kept separate so the rules read without any locking in the way.
struct VMTableState: Sendable {
    /// Which MACs are VMs.
    var ouiTable: OUITable
    /// Ports facing hypervisors; VMs are only detected here.
    var serverPorts: Set<Int>
    /// Known VMs by MAC.
    var vms: [MACAddress: VMEntry] = [:]
    /// The index the next detected VM gets. Only ever grows (until `clear`), so
    /// an index is never reused for another VM while the table lives.
    var nextIndex = 0
    /// Recent moves of all VMs, oldest first, at most `migrationLimit`.
    var migrations: [VMMove] = []
    /// Bound on `migrations`.
    let migrationLimit: Int
    /// Bound on each entry's `moves`.
    let movesPerVM: Int

    /// Applies one learning event: detects a new VM, records a move, learns the IP.
    mutating func observe(_ event: LearningEvent) {
        let mac = event.mac
        if var entry = vms[mac] {
            // Compare with the VM's own last port rather than the event's
            // previousPort: the MAC table is per VLAN, so a VM reappearing in
            // another VLAN on another port is a move the event alone would call new.
            if entry.port != event.port {
                let move = VMMove(mac: mac, vlan: event.vlan, fromPort: entry.port, toPort: event.port,
                                  time: event.time, how: Self.announcement(of: event))
                entry.port = event.port
                append(move, to: &entry.moves, limit: movesPerVM)
                append(move, to: &migrations, limit: migrationLimit)
            }
            entry.vlan = event.vlan
            learnIP(from: event, into: &entry)
            vms[mac] = entry
            return
        }
        // A VM MAC only behind an uplink is a remote station, not one of ours.
        guard serverPorts.contains(event.port), let vendor = ouiTable.vendor(of: mac) else { return }
        var entry = VMEntry(mac: mac, port: event.port, vlan: event.vlan, index: nextIndex,
                            kind: VMKind(mac: mac), vendor: vendor, firstSeen: event.time)
        nextIndex += 1
        learnIP(from: event, into: &entry)
        vms[mac] = entry
    }

    /// Replaces the OUI table; VMs whose OUI is no longer listed are forgotten.
    mutating func setOUITable(_ table: OUITable) {
        ouiTable = table
        vms = vms.filter { table.vendor(of: $0.key) != nil }
    }

    /// How the frame that revealed a move announced it.
    static func announcement(of event: LearningEvent) -> MoveAnnouncement {
        guard let arp = event.arp, arp.senderMAC == event.mac else { return .sourceMove }
        if arp.isMigrationAnnouncement { return .rarp }
        if arp.isGratuitous { return .garp }
        return .sourceMove
    }

    /// Takes the VM's IP from an ARP it sent (sender IP) or an IPv4 source.
    ///
    /// Limitation: this only sees the frames that produce learning events (a
    /// new or moved MAC), so a VM that is learned from, say, a non-IP frame
    /// and only later speaks IP keeps 0.0.0.0 until it next moves or is
    /// relearned. Per-frame IP tracking is for later.
    private func learnIP(from event: LearningEvent, into entry: inout VMEntry) {
        if let arp = event.arp, !arp.isReverse, arp.senderMAC == event.mac, arp.senderIP != .zero {
            entry.ip = arp.senderIP
        } else if let ipv4 = event.frame.ipv4, ipv4.source != .zero {
            entry.ip = ipv4.source
        }
    }

    private func append(_ move: VMMove, to list: inout [VMMove], limit: Int) {
        list.append(move)
        // Moves are rare (one per migration), so shifting a short array is cheap enough.
        if list.count > limit { list.removeFirst(list.count - limit) }
    }
}
