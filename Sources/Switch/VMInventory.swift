import Foundation
import Frames
import VMManager

/// What the VM managers reported, per host, kept through disconnections: the last
/// inventory of a host that is down is shown, marked stale, and never acted on.
struct VMInventory: Sendable {
    struct Host: Sendable {
        var uri: String
        /// Connected because LLDP found it (`discover lldp`), not configured.
        var discovered: Bool
        var state: VMManagerConnectionState = .connecting
        /// What libvirt calls the host (`virConnectGetHostname`): LLDP's System Name for it.
        var hostname: String?
        /// Domains by UUID.
        var domains: [String: DomainRecord] = [:]
        var lastError: String?
        var retryInSeconds: Int?
        var since: Date?
        var lastEvent: String?
        var lastEventTime: Date?

        /// Its inventory may be acted on only while it is connected.
        var isCurrent: Bool { state == .up }
    }

    /// Where a MAC is: host and domain UUID.
    struct Place: Hashable, Sendable {
        let host: String
        let uuid: String
    }

    private(set) var hosts: [String: Host] = [:]
    /// Every domain interface MAC, where it is (a domain saved on one host and restored on
    /// another is defined on both), in (host, UUID) order.
    private(set) var places: [MACAddress: [Place]] = [:]
    /// Domain names to their MACs, for `vm NAME` group members (active domains first).
    private(set) var names: [String: [MACAddress]] = [:]
    /// Counts changes of `names`, so that a reader knows without comparing them.
    private(set) var namesGeneration = 0
    /// The domains bearing each name.
    private var byName: [String: Set<Place>] = [:]

    /// A connection the switch opens: known before it reports anything.
    mutating func add(host: String, uri: String, discovered: Bool) {
        guard hosts[host]?.uri != uri else { return }
        remove(host: host)
        hosts[host] = Host(uri: uri, discovered: discovered)
    }

    /// A connection the switch closed: its inventory goes.
    mutating func remove(host: String) {
        guard let old = hosts.removeValue(forKey: host) else { return }
        for domain in old.domains.values { unindex(domain, on: host) }
    }

    /// Takes in one report. Returns the MACs whose place changed (all of a host's on a
    /// (re)connection or loss), for re-verification. The indexes change by the domains the
    /// report names, never by a rebuild: a host with thousands of domains reporting one
    /// start costs that one domain.
    mutating func apply(_ event: VMManagerEvent, at time: Date) -> Set<MACAddress> {
        var touched = Set<MACAddress>()
        switch event {
        case .connected(let host, let hostname, let domains):
            guard var h = hosts[host] else { return [] }
            let old = h.domains
            for domain in old.values { touched.formUnion(domain.macs) }
            h.state = .up
            h.hostname = hostname
            h.lastError = nil
            h.retryInSeconds = nil
            h.since = time
            h.domains = Dictionary(domains.map { ($0.uuid, $0) }, uniquingKeysWith: { _, last in last })
            h.lastEvent = "connected (\(domains.count) domain\(domains.count == 1 ? "" : "s"))"
            h.lastEventTime = time
            touched.formUnion(domains.flatMap(\.macs))
            hosts[host] = h
            for domain in old.values { unindex(domain, on: host) }
            for domain in h.domains.values { index(domain, on: host) }
        case .disconnected(let host, let reason, let retry):
            guard var h = hosts[host] else { return [] }
            if h.state == .up { h.since = time }
            h.state = .down
            h.lastError = reason
            h.retryInSeconds = retry
            touched.formUnion(h.domains.values.flatMap(\.macs))
            hosts[host] = h
        case .domain(let host, let lifecycle, let domain):
            guard var h = hosts[host] else { return [] }
            let old = h.domains[domain.uuid]
            touched.formUnion(old?.macs ?? [])
            touched.formUnion(domain.macs)
            h.domains[domain.uuid] = domain
            h.lastEvent = "\(domain.name) \(lifecycle)"
            h.lastEventTime = time
            hosts[host] = h
            if let old { unindex(old, on: host) }
            index(domain, on: host)
        case .undefined(let host, let uuid, let name):
            guard var h = hosts[host] else { return [] }
            let old = h.domains.removeValue(forKey: uuid)
            touched.formUnion(old?.macs ?? [])
            h.lastEvent = "\(name) undefined"
            h.lastEventTime = time
            hosts[host] = h
            if let old { unindex(old, on: host) }
        case .skipped:
            return []
        }
        return touched
    }

    private mutating func index(_ domain: DomainRecord, on host: String) {
        let place = Place(host: host, uuid: domain.uuid)
        for mac in domain.macs {
            var list = places[mac] ?? []
            guard !list.contains(place) else { continue }
            list.insert(place, at: list.firstIndex { ($0.host, $0.uuid) > (host, domain.uuid) } ?? list.endIndex)
            places[mac] = list
        }
        byName[domain.name, default: []].insert(place)
        refreshName(domain.name)
    }

    private mutating func unindex(_ domain: DomainRecord, on host: String) {
        let place = Place(host: host, uuid: domain.uuid)
        for mac in domain.macs {
            places[mac]?.removeAll { $0 == place }
            if places[mac]?.isEmpty == true { places[mac] = nil }
        }
        byName[domain.name]?.remove(place)
        if byName[domain.name]?.isEmpty == true { byName[domain.name] = nil }
        refreshName(domain.name)
    }

    /// The MACs `name` stands for: its running domains' first, then the others'.
    private mutating func refreshName(_ name: String) {
        var macs: [MACAddress] = []
        if let bearers = byName[name] {
            let domains = bearers.sorted { ($0.host, $0.uuid) < ($1.host, $1.uuid) }.compactMap(domain)
            var seen = Set<MACAddress>()
            for mac in domains.filter(\.state.isActive).flatMap(\.macs) + domains.filter({ !$0.state.isActive }).flatMap(\.macs)
            where seen.insert(mac).inserted {
                macs.append(mac)
            }
        }
        let value = macs.isEmpty ? nil : macs
        guard names[name] != value else { return }
        names[name] = value
        namesGeneration += 1
    }

    /// The domain `place` names.
    func domain(_ place: Place) -> DomainRecord? { hosts[place.host]?.domains[place.uuid] }

    /// Whether `host` answers to LLDP System Name `systemName`: its libvirt hostname or the
    /// operator's name for it, whole or up to the first dot, ignoring case.
    func host(_ host: String, isNamed systemName: String) -> Bool {
        let wanted = systemName.lowercased()
        let short = wanted.split(separator: ".").first.map(String.init) ?? wanted
        for candidate in [hosts[host]?.hostname, host].compactMap({ $0?.lowercased() }) {
            let candidateShort = candidate.split(separator: ".").first.map(String.init) ?? candidate
            if candidate == wanted || candidateShort == short && (candidate == candidateShort || wanted == short) {
                return true
            }
        }
        return false
    }

    /// The verdict on `mac` seen behind a port whose hosts are `behind` (vm-manager.md,
    /// "Closed-loop verification").
    func verdict(for mac: MACAddress, behind: Set<String>) -> VMVerdict {
        guard !behind.isEmpty else { return .unmanaged }
        let active = (places[mac] ?? []).filter { domain($0)?.state.isActive == true }
        if let here = active.first(where: { behind.contains($0.host) }) {
            return .verified(host: here.host, uuid: here.uuid)
        }
        // A host behind the port that is down might run it: nothing can be said.
        guard behind.allSatisfy({ hosts[$0]?.isCurrent == true }) else { return .stale }
        if let elsewhere = active.first(where: { hosts[$0.host]?.isCurrent == true }) {
            return .spoofed(runsOn: elsewhere.host)
        }
        // Only a stale inventory places it elsewhere: never acted on.
        if !active.isEmpty { return .stale }
        return .unverified
    }
}

/// What the VM managers say about a VM seen behind a port.
enum VMVerdict: Hashable, Sendable {
    /// No host the switch manages is behind the port: nothing to check.
    case unmanaged
    /// The port is trusted (`virt vmcheck trust`): exempt.
    case trusted
    /// A host behind the port runs it.
    case verified(host: String, uuid: String)
    /// No VM manager knows the MAC, though the port's host is managed: logged, not blocked.
    case unverified
    /// Another host runs it: a suspected spoof.
    case spoofed(runsOn: String)
    /// The inventories that would decide are stale (a host down): no judgement.
    case stale

    var label: String {
        switch self {
        case .unmanaged: "-"
        case .trusted: "trusted"
        case .verified: "verified"
        case .unverified: "unverified"
        case .spoofed: "spoofed"
        case .stale: "stale"
        }
    }
}
