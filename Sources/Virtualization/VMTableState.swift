import Frames
import SwitchTypes

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
    /// Every move since the table was last cleared, including those no longer kept.
    var totalMoves = 0
    /// Bound on `migrations`.
    let migrationLimit: Int
    /// Bound on each entry's `moves`.
    let movesPerVM: Int
    /// Detection runs only while VMready is enabled.
    var enabled = true
    /// VMs whose group asks for basic validation.
    var validated: Set<MACAddress> = []
    /// Ports exempt from validation.
    var trustedPorts: Set<Int> = []
    /// Ports down or err-disabled: a MAC leaving one is no suspect.
    var downPorts: Set<Int> = []
    /// Events not yet taken by the control side, oldest first.
    var events: [VMEvent] = []
    /// Events dropped because the control side fell `eventLimit` behind.
    var droppedEvents = 0
    /// Bound on `events`.
    static let eventLimit = 65536

    /// Applies one station learned or moved: detects a new VM, records a move, learns the IP.
    mutating func observe(_ station: LearningEvent) {
        guard enabled else { return }
        let mac = station.mac
        if var entry = vms[mac] {
            // Compare with the VM's own last port rather than the station's
            // previousPort: the MAC table is per VLAN, so a VM reappearing in
            // another VLAN on another port is a move the sighting alone would call new.
            if entry.port != station.port {
                let move = VMMove(mac: mac, vlan: station.vlan, fromPort: entry.port, toPort: station.port,
                                  time: station.time, how: Self.announcement(of: station))
                entry.port = station.port
                append(move, to: &entry.moves, limit: movesPerVM)
                append(move, to: &migrations, limit: migrationLimit)
                totalMoves += 1
                post(.moved(move))
                if let suspicion = check(move, history: entry.moves) { post(.suspected(suspicion)) }
            }
            entry.vlan = station.vlan
            let known = entry.ip
            learnIP(from: station, into: &entry)
            if entry.ip != known { post(.addressLearned(mac: mac, ip: entry.ip)) }
            vms[mac] = entry
            return
        }
        // A VM MAC only behind an uplink is a remote station, not one of ours.
        guard serverPorts.contains(station.port), let vendor = ouiTable.vendor(of: mac) else { return }
        var entry = VMEntry(mac: mac, port: station.port, vlan: station.vlan, index: nextIndex,
                            kind: VMKind(mac: mac), vendor: vendor, firstSeen: station.time)
        nextIndex += 1
        learnIP(from: station, into: &entry)
        vms[mac] = entry
        post(.detected(entry))
    }

    /// Basic validation of one move: unannounced, or one move too many within the
    /// flap window. A move onto a trusted port, or away from a port that is down
    /// (the station left a dead link), is never suspect.
    func check(_ move: VMMove, history: [VMMove]) -> VMSuspicion? {
        guard validated.contains(move.mac), !trustedPorts.contains(move.toPort),
              !downPorts.contains(move.fromPort) else { return nil }
        let windowStart = move.time.nanoseconds - Int64(VMCheckSettings.flapWindowSeconds) * 1_000_000_000
        if history.filter({ $0.time.nanoseconds > windowStart }).count >= VMCheckSettings.flapMoves {
            return VMSuspicion(move: move, reason: .flapping)
        }
        return move.how == .sourceMove ? VMSuspicion(move: move, reason: .unannounced) : nil
    }

    /// Queues an event for the control side, dropping the oldest when it fell far behind.
    mutating func post(_ event: VMEvent) {
        if events.count >= Self.eventLimit {
            events.removeFirst(events.count - Self.eventLimit + 1)
            droppedEvents += 1
        }
        events.append(event)
    }

    /// Replaces the OUI table; VMs whose OUI is no longer listed are forgotten.
    mutating func setOUITable(_ table: OUITable) {
        ouiTable = table
        vms = vms.filter { table.vendor(of: $0.key) != nil }
    }

    /// How the frame that revealed a move announced it.
    static func announcement(of station: LearningEvent) -> MoveAnnouncement {
        guard let arp = station.arp, arp.senderMAC == station.mac else { return .sourceMove }
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
    private func learnIP(from station: LearningEvent, into entry: inout VMEntry) {
        if let arp = station.arp, !arp.isReverse, arp.senderMAC == station.mac, arp.senderIP != .zero {
            entry.ip = arp.senderIP
        } else if let ipv4 = station.frame.ipv4, ipv4.source != .zero {
            entry.ip = ipv4.source
        }
    }

    private func append(_ move: VMMove, to list: inout [VMMove], limit: Int) {
        list.append(move)
        // Moves are rare (one per migration), so shifting a short array is cheap enough.
        if list.count > limit { list.removeFirst(list.count - limit) }
    }
}
