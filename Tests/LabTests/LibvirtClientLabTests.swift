#if os(Linux)
import Foundation
import Frames
import Glibc
import Testing
import VMManager

/// VMManagerClient against real libvirtd daemons (the `test` driver): two hypervisor
/// namespaces, hv1 and hv2, each with its own libvirtd and hostname.
@Suite(.serialized) struct LibvirtClientLabTests {
    /// Small values keep the suite quick: retries after 1 s then 2 s, a silent peer noticed
    /// within 1 × (2 + 1) = 3 s (two missed probes, not one: a loaded machine may delay one).
    static let retry = VMManagerRetry(initialSeconds: 1, maximumSeconds: 2, keepaliveInterval: 1, keepaliveCount: 2)
    /// How long to wait for an event that must come (bounds a wait, measures nothing).
    static let eventWait = 15.0

    static let web1 = (name: "web1", uuid: "0b5e1f7c-1111-4a2b-8c3d-000000000001",
                       macs: ["52:54:00:18:01:01", "52:54:00:18:01:02"])
    static let db1 = (name: "db1", uuid: "0b5e1f7c-1111-4a2b-8c3d-000000000002", macs: ["52:54:00:18:01:03"])
    static let app2 = (name: "app2", uuid: "0b5e1f7c-1111-4a2b-8c3d-000000000003", macs: ["52:54:00:18:02:01"])

    /// The two hypervisors in their namespaces; torn down by `tearDown`, even after a failure.
    final class Lab {
        let topology: LabTopology
        let hv1: HypervisorDaemon
        let hv2: HypervisorDaemon
        let log = VMManagerEventLog()

        init() throws {
            topology = try LabTopology(hostCount: 2)
            do {
                try topology.create()
                hv1 = try HypervisorDaemon(host: topology.hosts[0], scratch: topology.scratch, hostname: "hv1.lab")
                hv2 = try HypervisorDaemon(host: topology.hosts[1], scratch: topology.scratch, hostname: "hv2.lab")
            } catch {
                topology.tearDown()
                throw error
            }
        }

        func client(_ name: String, _ daemon: HypervisorDaemon) -> VMManagerClient {
            let log = log
            return VMManagerClient(host: name, uri: daemon.uri, retry: LibvirtClientLabTests.retry) { log.record($0) }
        }

        func tearDown() {
            hv1.tearDown()
            hv2.tearDown()
            topology.tearDown()
        }

        /// Evaluated only when an expectation fails.
        func context(_ clients: VMManagerClient...) -> Comment {
            let statuses = clients.map { "\($0.status)" }.joined(separator: "\n")
            return "\(log.transcript)\n--- status ---\n\(statuses)\n\(hv1.log)\n\(hv2.log)"
        }
    }

    static func record(_ domain: (name: String, uuid: String, macs: [String]), _ state: DomainState) -> DomainRecord {
        DomainRecord(uuid: domain.uuid, name: domain.name, state: state, macs: domain.macs.map { MACAddress($0)! })
    }

    /// The test driver's built-in domain, as the client reads it: running, one interface.
    /// Every test-driver host has it, with the same UUID and MAC.
    static let builtin = DomainRecord(uuid: HypervisorDaemon.builtinDomain.uuid, name: HypervisorDaemon.builtinDomain.name,
                                      state: .running, macs: [MACAddress(HypervisorDaemon.builtinDomain.mac)!])

    @Test(.enabled(if: geteuid() == 0, "needs root: runs libvirtd in network namespaces (CI runs it as root)"))
    func inventoryEventsMetadataAndASaveRestoreMove() throws {
        let lab = try Lab()
        defer { lab.tearDown() }
        let (hv1, hv2, log) = (lab.hv1, lab.hv2, lab.log)
        try hv1.start()
        try hv2.start()
        try hv1.define(name: Self.web1.name, uuid: Self.web1.uuid, macs: Self.web1.macs)
        try hv1.start(domain: Self.web1.name)
        try hv1.define(name: Self.db1.name, uuid: Self.db1.uuid, macs: Self.db1.macs)

        let c1 = lab.client("hv1", hv1)
        let c2 = lab.client("hv2", hv2)
        defer {
            c1.stop()
            c2.stop()
        }
        c1.start()
        c2.start()

        // (1) Connected: each host's own hostname and whole inventory, by name.
        #expect(log.next("hv1", timeout: Self.eventWait)
                == .connected(host: "hv1", hostname: "hv1.lab",
                              domains: [Self.record(Self.db1, .shutOff), Self.builtin, Self.record(Self.web1, .running)]),
                lab.context(c1, c2))
        #expect(log.next("hv2", timeout: Self.eventWait) == .connected(host: "hv2", hostname: "hv2.lab", domains: [Self.builtin]),
                lab.context(c1, c2))
        let status = c1.status
        #expect(status.state == .up && status.hostname == "hv1.lab" && status.domainCount == 3
                && status.connectedSince != nil && status.reconnectAttempts == 0 && status.retryInSeconds == nil,
                "\(status)")

        // (2) Lifecycle events, each with the domain re-read after it.
        try hv1.destroy(domain: Self.web1.name)
        #expect(log.next("hv1", timeout: Self.eventWait)
                == .domain(host: "hv1", lifecycle: .stopped(.destroyed), domain: Self.record(Self.web1, .shutOff)),
                lab.context(c1, c2))
        try hv1.start(domain: Self.web1.name)
        #expect(log.next("hv1", timeout: Self.eventWait)
                == .domain(host: "hv1", lifecycle: .started(.booted), domain: Self.record(Self.web1, .running)),
                lab.context(c1, c2))
        #expect(c1.status.lastEvent == "web1 started (booted)", "\(c1.status)")

        // (3) Port metadata: written on the running domain and its definition, then updated.
        let first = "<port switch=\"tor-7\" port=\"3\" vlan=\"10\" group=\"web\" verdict=\"verified\"/>"
        c1.publish(uuid: Self.web1.uuid, metadata: first)
        #expect(try waitForMetadata(hv1, Self.web1.name, first), lab.context(c1, c2))
        #expect(try hv1.metadata(domain: Self.web1.name, config: true) == first, lab.context(c1, c2))
        let second = "<port switch=\"tor-7\" port=\"4\" vlan=\"10\" group=\"web\" verdict=\"verified\"/>"
        c1.publish(uuid: Self.web1.uuid, metadata: second)
        #expect(try waitForMetadata(hv1, Self.web1.name, second), lab.context(c1, c2))
        // On an inactive domain only the definition exists; libvirt takes it there.
        c1.publish(uuid: Self.db1.uuid, metadata: first)
        #expect(try waitForMetadata(hv1, Self.db1.name, first), lab.context(c1, c2))
        c1.publish(uuid: Self.db1.uuid, metadata: nil)
        #expect(try waitForMetadata(hv1, Self.db1.name, nil), lab.context(c1, c2))
        // A domain the host does not have: reported, nothing else happens.
        c1.publish(uuid: Self.app2.uuid, metadata: first)
        guard case .skipped(_, let reason)? = log.next("hv1", timeout: Self.eventWait) else {
            Issue.record("no .skipped for metadata on an unknown domain\n\(lab.context(c1, c2))")
            return
        }
        #expect(reason.contains(Self.app2.uuid) && reason.contains("Domain not found"), "\(reason)")

        // (4) The test driver's stand-in for a migration: save on hv1, restore on hv2.
        let image = lab.topology.scratch + "/web1.save"
        try hv1.save(domain: Self.web1.name, to: image)
        #expect(log.next("hv1", timeout: Self.eventWait)
                == .domain(host: "hv1", lifecycle: .stopped(.saved), domain: Self.record(Self.web1, .shutOff)),
                lab.context(c1, c2))
        try hv2.restore(from: image)
        #expect(log.next("hv2", timeout: Self.eventWait)
                == .domain(host: "hv2", lifecycle: .started(.restored), domain: Self.record(Self.web1, .running)),
                lab.context(c1, c2))
        // The restored domain is transient on hv2: metadata goes to the running copy only.
        let moved = "<port switch=\"tor-7\" port=\"5\" vlan=\"10\" group=\"web\" verdict=\"verified\"/>"
        c2.publish(uuid: Self.web1.uuid, metadata: moved)
        #expect(try waitForMetadata(hv2, Self.web1.name, moved), lab.context(c1, c2))
        // Stopping a transient domain removes it: the stop, then its disappearance.
        try hv2.destroy(domain: Self.web1.name)
        #expect(log.next("hv2", timeout: Self.eventWait)
                == .domain(host: "hv2", lifecycle: .stopped(.destroyed), domain: Self.record(Self.web1, .shutOff)),
                lab.context(c1, c2))
        #expect(log.next("hv2", timeout: Self.eventWait) == .undefined(host: "hv2", uuid: Self.web1.uuid, name: Self.web1.name),
                lab.context(c1, c2))
        #expect(c2.status.domainCount == 1, "\(c2.status)")

        // (5) Undefined on hv1.
        try hv1.undefine(domain: Self.db1.name)
        #expect(log.next("hv1", timeout: Self.eventWait) == .undefined(host: "hv1", uuid: Self.db1.uuid, name: Self.db1.name),
                lab.context(c1, c2))
        #expect(c1.status.domainCount == 2, "\(c1.status)")

        // (6) Undefined while running: libvirt keeps it as a transient domain (an Undefined
        // event for a domain that is still there), and removes it when it stops.
        // Each step waits for its event: the client re-reads the domain after the event,
        // and the next step would change what it reads.
        let steps: [(action: () throws -> Void, event: VMManagerEvent)] = [
            ({ try hv1.define(name: Self.app2.name, uuid: Self.app2.uuid, macs: Self.app2.macs) },
             .domain(host: "hv1", lifecycle: .defined, domain: Self.record(Self.app2, .shutOff))),
            ({ try hv1.start(domain: Self.app2.name) },
             .domain(host: "hv1", lifecycle: .started(.booted), domain: Self.record(Self.app2, .running))),
            ({ try hv1.undefine(domain: Self.app2.name) },
             .domain(host: "hv1", lifecycle: .other(1), domain: Self.record(Self.app2, .running))),
            ({ try hv1.destroy(domain: Self.app2.name) },
             .domain(host: "hv1", lifecycle: .stopped(.destroyed), domain: Self.record(Self.app2, .shutOff))),
        ]
        for step in steps {
            try step.action()
            #expect(log.next("hv1", timeout: Self.eventWait) == step.event, lab.context(c1, c2))
        }
        #expect(log.next("hv1", timeout: Self.eventWait) == .undefined(host: "hv1", uuid: Self.app2.uuid, name: Self.app2.name),
                lab.context(c1, c2))

        // Nothing else was delivered (no stray skips or disconnections).
        #expect(log.all("hv1").count == 11 && log.all("hv2").count == 4, lab.context(c1, c2))
    }

    @Test(.enabled(if: geteuid() == 0, "needs root: runs libvirtd in network namespaces (CI runs it as root)"))
    func downAtStartCrashAndHang() throws {
        let lab = try Lab()
        defer { lab.tearDown() }
        let (hv1, hv2, log) = (lab.hv1, lab.hv2, lab.log)
        try hv2.start()
        let c1 = lab.client("hv1", hv1)
        let c2 = lab.client("hv2", hv2)
        defer {
            c1.stop()
            c2.stop()
        }
        c1.start()
        c2.start()
        #expect(log.next("hv2", timeout: Self.eventWait) == .connected(host: "hv2", hostname: "hv2.lab", domains: [Self.builtin]),
                lab.context(c1, c2))

        // (1) hv1's libvirtd is not running: down, retried with a doubling backoff.
        guard case .disconnected(_, let reason, let firstRetry)? = log.next("hv1", timeout: Self.eventWait),
              case .disconnected(_, _, let secondRetry)? = log.next("hv1", timeout: Self.eventWait) else {
            Issue.record("hv1 down at start was not reported twice\n\(lab.context(c1, c2))")
            return
        }
        #expect(reason.contains("libvirt-sock") && firstRetry == 1 && secondRetry == 2, "\(reason) \(firstRetry) \(secondRetry)")
        let down = c1.status
        #expect(down.state != .up && down.reconnectAttempts >= 2 && down.lastError != nil
                && (down.retryInSeconds ?? 99) <= 2, "\(down)")

        // ...and connected once it runs.
        try hv1.start()
        var passed: [VMManagerEvent] = []
        let connected = log.next("hv1", timeout: Self.eventWait, skipping: &passed) { if case .connected = $0 { true } else { false } }
        #expect(connected == .connected(host: "hv1", hostname: "hv1.lab", domains: [Self.builtin]), lab.context(c1, c2))
        #expect(passed.allSatisfy { if case .disconnected = $0 { true } else { false } }, lab.context(c1, c2))
        #expect(c1.status.state == .up, "\(c1.status)")

        // (2) A crash mid-run: down with the inventory kept (stale), then re-read after the
        // restart: the restarted test driver has only its built-in domain.
        try hv1.define(name: Self.web1.name, uuid: Self.web1.uuid, macs: Self.web1.macs)
        #expect(log.next("hv1", timeout: Self.eventWait)
                == .domain(host: "hv1", lifecycle: .defined, domain: Self.record(Self.web1, .shutOff)), lab.context(c1, c2))
        hv1.kill()
        guard case .disconnected(_, let lost, let retry)? = log.next("hv1", timeout: Self.eventWait) else {
            Issue.record("the SIGKILLed libvirtd was not reported down\n\(lab.context(c1, c2))")
            return
        }
        // EOF as a rule; a keepalive written at the wrong moment makes it a socket error.
        #expect((lost.contains("closed by the hypervisor") || lost.contains("socket error")) && retry == 1, "\(lost)")
        // Down (or already retrying), the inventory kept, stale.
        #expect(c1.status.state != .up && c1.status.domainCount == 2, "\(c1.status)")
        try hv1.start()
        passed = []
        let reconnected = log.next("hv1", timeout: Self.eventWait, skipping: &passed) { if case .connected = $0 { true } else { false } }
        #expect(reconnected == .connected(host: "hv1", hostname: "hv1.lab", domains: [Self.builtin]), lab.context(c1, c2))

        // (3) A hung host (SIGSTOP): noticed through keepalive while hv2's client goes on
        // delivering; metadata asked for meanwhile is written once it answers again.
        try hv1.define(name: Self.web1.name, uuid: Self.web1.uuid, macs: Self.web1.macs)
        #expect(log.next("hv1", timeout: Self.eventWait)
                == .domain(host: "hv1", lifecycle: .defined, domain: Self.record(Self.web1, .shutOff)), lab.context(c1, c2))
        try hv1.pause()
        // The bound: keepalive's interval × (count + 1), plus one interval of slack for timer phase.
        let bound = Double(Self.retry.silentPeerBound + Self.retry.keepaliveInterval) + 1
        guard case .disconnected(_, let hung, _)? = log.next("hv1", timeout: bound) else {
            Issue.record("the stopped libvirtd was not noticed within \(bound) s\n\(lab.context(c1, c2))")
            hv1.resume()
            return
        }
        #expect(hung.contains("keepalive"), "\(hung)")
        try hv2.define(name: Self.app2.name, uuid: Self.app2.uuid, macs: Self.app2.macs)
        #expect(log.next("hv2", timeout: Self.eventWait)
                == .domain(host: "hv2", lifecycle: .defined, domain: Self.record(Self.app2, .shutOff)), lab.context(c1, c2))
        let pending = "<port switch=\"tor-7\" port=\"1\" vlan=\"20\" group=\"db\" verdict=\"verified\"/>"
        c1.publish(uuid: Self.web1.uuid, metadata: pending)
        // A client started against the hung host blocks in virConnectOpen on its own thread:
        // start and stop return at once, and it delivers nothing after stop.
        let late = lab.client("hv1-late", hv1)
        late.start()
        late.stop()
        hv1.resume()
        passed = []
        let recovered = log.next("hv1", timeout: Self.eventWait, skipping: &passed) { if case .connected = $0 { true } else { false } }
        #expect(recovered == .connected(host: "hv1", hostname: "hv1.lab",
                                        domains: [Self.builtin, Self.record(Self.web1, .shutOff)]), lab.context(c1, c2))
        #expect(try waitForMetadata(hv1, Self.web1.name, pending), lab.context(c1, c2))
        #expect(log.all("hv1-late").isEmpty, lab.context(c1, c2, late))

        // (4) Stopped: nothing more is delivered, while the other client goes on.
        c1.stop()
        let delivered = log.all("hv1").count
        try hv1.start(domain: Self.web1.name)
        try hv2.start(domain: Self.app2.name)
        #expect(log.next("hv2", timeout: Self.eventWait)
                == .domain(host: "hv2", lifecycle: .started(.booted), domain: Self.record(Self.app2, .running)), lab.context(c1, c2))
        #expect(log.all("hv1").count == delivered, lab.context(c1, c2))
    }

    /// Polls `virsh metadata` until it shows `expected` (nil: none), at most `eventWait` seconds.
    private func waitForMetadata(_ daemon: HypervisorDaemon, _ domain: String, _ expected: String?) throws -> Bool {
        let deadline = Date().addingTimeInterval(Self.eventWait)
        while true {
            if try daemon.metadata(domain: domain) == expected { return true }
            if Date() >= deadline { return false }
            usleep(100_000)
        }
    }
}
#endif
