import Frames
import SwitchTypes

/// The VM-awareness state proper, as a plain value: `VMTable` wraps it in a lock.
/// Kept separate so the rules read without any locking in the way.
struct VMTableState: Sendable {
    /// Which MACs are VMs.
    var ouiTable: OUITable
    /// Ports facing hypervisors; VMs are only detected here.
    var serverPorts: Set<Int>
    /// Known VMs, indexed by MAC, index and IP.
    var vms = VMLookup()
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
    /// Most VMs known at once (`virt vm limit`).
    var limit = VirtConfiguration.defaultVMLimit
    /// Counters for `show virt summary`.
    var statistics = VMTableStatistics()
    /// Ports exempt from validation.
    var trustedPorts: Set<Int> = []
    /// Ports down or err-disabled: a MAC leaving one is no suspect.
    var downPorts: Set<Int> = []
    /// Each VM's policy, kept current as VMs and the configuration change.
    var resolver = VMPolicyResolver()

    init(ouiTable: OUITable, serverPorts: Set<Int>, migrationLimit: Int, movesPerVM: Int) {
        self.ouiTable = ouiTable
        self.serverPorts = serverPorts
        self.migrationLimit = migrationLimit
        self.movesPerVM = movesPerVM
    }

    /// Applies one station learned or moved: detects a new VM, records a move, learns the
    /// IP, and re-resolves the VMs that touched (the VM, and the VMs an IP changed hands
    /// between). Costs a few dictionary operations whatever the table's size.
    mutating func observe(_ station: LearningEvent, into batch: inout VMBatch) {
        guard enabled else { return }
        statistics.eventsHandled += 1
        let mac = station.mac
        if var entry = vms[mac] {
            // Compare with the VM's own last port rather than the station's
            // previousPort: the MAC table is per VLAN, so a VM reappearing in
            // another VLAN on another port is a move the sighting alone would call new.
            if entry.bridgePort != station.bridgePort {
                let move = VMMove(mac: mac, vlan: station.vlan, fromPort: entry.port, toPort: station.port,
                                  time: station.time, how: Self.announcement(of: station),
                                  fromVNIC: entry.vnic, toVNIC: station.vnic)
                entry.port = station.port
                entry.vnic = station.vnic
                append(move, to: &entry.moves, limit: movesPerVM)
                append(move, to: &migrations, limit: migrationLimit)
                totalMoves += 1
                batch.events.append(.moved(move))
                if let suspicion = check(move, history: entry.moves) { batch.events.append(.suspected(suspicion)) }
            }
            entry.vlan = station.vlan
            let known = entry.ip
            learnIP(from: station, into: &entry)
            let touched = [entry.ip, known].compactMap { vms.ipOwner($0)?.mac }
            vms.upsert(entry)
            if entry.ip != known {
                batch.events.append(.addressLearned(mac: mac, ip: entry.ip))
                let owners = [entry.ip, known].compactMap { vms.ipOwner($0)?.mac }
                resolver.refresh(Set(touched + owners + [mac]), vms: vms, into: &batch.changes)
            }
            return
        }
        // A VM MAC only behind an uplink is a remote station, not one of ours.
        guard serverPorts.contains(station.port), let vendor = ouiTable.vendor(of: mac) else { return }
        guard vms.count < limit else {
            statistics.refused += 1
            batch.refused.append((mac, station.port, station.time))
            return
        }
        var entry = VMEntry(mac: mac, port: station.port, vlan: station.vlan, index: nextIndex,
                            kind: VMKind(mac: mac), vendor: vendor, firstSeen: station.time)
        entry.vnic = station.vnic
        nextIndex += 1
        learnIP(from: station, into: &entry)
        vms.upsert(entry)
        statistics.detected += 1
        batch.events.append(.detected(entry))
        // Only this VM: it has the highest index, so it never takes an IP from the VM holding it.
        resolver.refresh(mac, vms: vms, into: &batch.changes)
    }

    /// A VM manager reports `mac` running behind `port`: a known VM elsewhere records a
    /// move announced by the VM manager (never suspect: the hypervisor itself says so),
    /// as its first frame there would. An unknown VM waits for its first frame.
    mutating func relocate(_ mac: MACAddress, to port: Int, at time: Timestamp, how: MoveAnnouncement = .vmManager) -> VMMove? {
        guard enabled, var entry = vms[mac], entry.bridgePort != BridgePort(port: port) else { return nil }
        let move = VMMove(mac: mac, vlan: entry.vlan, fromPort: entry.port, toPort: port, time: time, how: how,
                          fromVNIC: entry.vnic, toVNIC: nil)
        entry.port = port
        entry.vnic = nil
        append(move, to: &entry.moves, limit: movesPerVM)
        append(move, to: &migrations, limit: migrationLimit)
        totalMoves += 1
        vms.upsert(entry)
        return move
    }

    /// The hypervisor associated a VSI with `mac` on `port` (802.1Qbg VDP): a new VM of kind
    /// VSI, known before its first frame, or a known one moved there (announced: never
    /// suspect). Its policy is re-resolved.
    mutating func announce(_ mac: MACAddress, port: Int, vlan: UInt16, vendor: String, at time: Timestamp,
                           into batch: inout VMBatch) {
        guard enabled else { return }
        if let move = relocate(mac, to: port, at: time, how: .vdp) {
            batch.events.append(.moved(move))
        } else if vms[mac] == nil {
            guard vms.count < limit else {
                statistics.refused += 1
                batch.refused.append((mac, port, time))
                return
            }
            let entry = VMEntry(mac: mac, port: port, vlan: vlan, index: nextIndex, kind: .vsi, vendor: vendor, firstSeen: time)
            nextIndex += 1
            vms.upsert(entry)
            statistics.detected += 1
            batch.events.append(.detected(entry))
        }
        resolver.refresh(mac, vms: vms, into: &batch.changes)
    }

    /// Basic validation of one move: unannounced, or one move too many within the
    /// flap window. A move onto a trusted port, or away from a port that is down
    /// (the station left a dead link), is never suspect.
    func check(_ move: VMMove, history: [VMMove]) -> VMSuspicion? {
        guard resolver.isValidated(move.mac), !trustedPorts.contains(move.toPort),
              !downPorts.contains(move.fromPort) else { return nil }
        let windowStart = move.time.nanoseconds - Int64(VMCheckSettings.flapWindowSeconds) * 1_000_000_000
        if history.filter({ $0.time.nanoseconds > windowStart }).count >= VMCheckSettings.flapMoves {
            return VMSuspicion(move: move, reason: .flapping)
        }
        return move.how == .sourceMove ? VMSuspicion(move: move, reason: .unannounced) : nil
    }

    /// Forgets every VM and move, and restarts indexes at 0.
    mutating func clear() {
        vms = VMLookup()
        migrations = []
        totalMoves = 0
        nextIndex = 0
    }

    /// Forgets the VMs whose OUI `table` no longer lists.
    mutating func forgetVMs(notIn table: OUITable) {
        for mac in vms.byMAC.keys where table.vendor(of: mac) == nil { vms.remove(mac) }
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

/// What the VM layer counted, for `show virt summary`.
public struct VMTableStatistics: Hashable, Sendable {
    /// Learning events applied.
    public var eventsHandled = 0
    /// VMs detected (since the table was last cleared or created).
    public var detected = 0
    /// New VMs refused because the table held `virt vm limit` VMs.
    public var refused = 0

    public init() {}
}

/// What one batch of learning events did: the events to log and act on, the policy
/// changes for the dataplane, and the VMs refused for want of room.
public struct VMBatch: Sendable {
    public var events: [VMEvent] = []
    public var changes = VMPolicyChanges()
    /// New VMs not taken (table at its limit), with the port and time they appeared.
    public var refused: [(mac: MACAddress, port: Int, time: Timestamp)] = []

    public init() {}
}
