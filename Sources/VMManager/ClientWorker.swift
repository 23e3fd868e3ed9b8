import CLibvirt
import Foundation

/// The body of a client's thread: connect, read the inventory, follow events, write
/// metadata, and on failure wait out the backoff and start over. Its state is the
/// thread's alone; it reaches the rest only through `ClientShared`.
final class ClientWorker {
    private let shared: ClientShared
    private var connection: LibvirtConnection?
    /// Counts connections: callbacks of an earlier one are recognised and dropped.
    private var generation = 0
    /// The host's domains by UUID as last read and kept by events; kept (stale) while down.
    private var inventory: [String: DomainRecord] = [:]
    /// Metadata asked for while not connected: the latest per UUID, in the order asked.
    private var pendingMetadata: [(uuid: String, metadata: String?)] = []
    /// Consecutive failures (a loss counts as one) since the connection was last up.
    private var failures = 0
    private var nextAttempt = Monotonic.now

    private var host: String { shared.host }

    init(_ shared: ClientShared) { self.shared = shared }

    func run() {
        defer { disconnect() }
        while !shared.gate.isClosed {
            let batch = shared.mailbox.take(until: connection == nil ? nextAttempt : nil)
            if batch.messages.contains(where: { if case .stop = $0 { true } else { false } }) { return }
            handle(batch)
            if connection == nil && Monotonic.now >= nextAttempt && !shared.gate.isClosed { connect() }
        }
    }

    // MARK: Connecting

    private func connect() {
        generation += 1
        shared.updateStatus {
            $0.status.state = .connecting
            $0.nextAttempt = nil
            $0.status.retryInSeconds = 0
        }
        let context = CallbackContext(mailbox: shared.mailbox, generation: generation)
        let opened: LibvirtConnection
        let hostname: String
        let read: (domains: [DomainRecord], skipped: [String])
        do throws(LibvirtError) {
            try LibvirtEventLoop.start()
            opened = try LibvirtConnection(uri: shared.uri, retry: shared.retry, context: context)
            hostname = try opened.hostname()
            read = try readInventory(opened)
        } catch {
            failures += 1
            down(reason: "cannot connect to \(shared.uri): \(error.description)")
            return
        }
        connection = opened
        failures = 0
        inventory = Dictionary(read.domains.map { ($0.uuid, $0) }, uniquingKeysWith: { first, _ in first })
        let now = Date()
        shared.updateStatus {
            $0.status.state = .up
            $0.status.hostname = hostname
            $0.status.domainCount = read.domains.count
            $0.status.connectedSince = now
            $0.status.reconnectAttempts = 0
            $0.status.retryInSeconds = nil
            $0.nextAttempt = nil
        }
        shared.gate.send(.connected(host: host, hostname: hostname, domains: read.domains))
        for reason in read.skipped { shared.gate.send(.skipped(host: host, reason: reason)) }
        let pending = pendingMetadata
        pendingMetadata = []
        for (uuid, metadata) in pending { write(metadata, uuid: uuid) }
    }

    /// Every domain with its state and MACs, by name; what had to be left out, for the log.
    /// A domain that disappears while it is read is left out silently (its Undefined event
    /// follows); a failure of the connection itself throws.
    private func readInventory(_ connection: LibvirtConnection) throws(LibvirtError) -> (domains: [DomainRecord], skipped: [String]) {
        var domains: [DomainRecord] = []
        var skipped: [String] = []
        for domain in try connection.allDomains() {
            do throws(LibvirtError) {
                switch try read(domain) {
                case .record(let record, let notes):
                    domains.append(record)
                    skipped += notes
                case .unreadable(let reason):
                    skipped.append(reason)
                }
            } catch {
                if error.isNoDomain { continue }
                guard connection.isAlive else { throw error }
                skipped.append("domain \(domain.name) (\(domain.uuid)): \(error.description)")
            }
        }
        domains.sort { ($0.name, $0.uuid) < ($1.name, $1.uuid) }
        return (domains, skipped)
    }

    private enum ReadOutcome {
        /// With notes on what was left out (odd MACs).
        case record(DomainRecord, notes: [String])
        /// The XML could not be used: why.
        case unreadable(String)
    }

    /// The domain's state and, from its XML, its MACs. Name and UUID come from libvirt's
    /// object, which the XML can only repeat.
    private func read(_ domain: LibvirtDomain) throws(LibvirtError) -> ReadOutcome {
        let name = domain.name
        let uuid = domain.uuid
        let state = try domain.state()
        let xml = try domain.xml()
        let parsed: DomainXML
        do throws(DomainXML.Failure) {
            parsed = try DomainXML.parse(xml)
        } catch {
            return .unreadable("domain \(name) (\(uuid)) skipped: \(error.description)")
        }
        let notes = parsed.rejectedMACs.map { "domain \(name) (\(uuid)): interface MAC \"\($0)\" skipped (not a station address)" }
        return .record(DomainRecord(uuid: uuid, name: name, state: state, macs: parsed.macs), notes: notes)
    }

    // MARK: Losing the connection

    /// Closes the connection and reports the host down until the backoff's next attempt.
    private func lost(reason: String) {
        disconnect()
        failures += 1
        down(reason: reason)
    }

    private func down(reason: String) {
        let delay = shared.retry.delay(afterFailures: failures)
        nextAttempt = Monotonic.now + Double(delay)
        let failures = failures
        let next = nextAttempt
        shared.updateStatus {
            $0.status.state = .down
            $0.status.lastError = reason
            $0.status.connectedSince = nil
            $0.status.reconnectAttempts = failures
            $0.status.domainCount = inventory.count
            $0.nextAttempt = next
        }
        shared.gate.send(.disconnected(host: host, reason: reason, retryInSeconds: delay))
    }

    private func disconnect() {
        connection?.close()
        connection = nil
    }

    private static func closeReason(_ reason: Int32) -> String {
        switch UInt32(bitPattern: reason) {
        case VIR_CONNECT_CLOSE_REASON_EOF.rawValue: "connection closed by the hypervisor"
        case VIR_CONNECT_CLOSE_REASON_KEEPALIVE.rawValue: "the hypervisor stopped answering (keepalive timed out)"
        case VIR_CONNECT_CLOSE_REASON_CLIENT.rawValue: "connection closed"
        default: socketError
        }
    }

    private static let socketError = "connection lost (socket error)"

    // MARK: The mailbox

    private func handle(_ batch: ClientMailbox.Batch) {
        for message in batch.messages {
            switch message {
            case .closed(let generation, let reason) where generation == self.generation && connection != nil:
                lost(reason: Self.closeReason(reason))
            case .lifecycle(let generation, let uuid, let name, let event, let detail)
                where generation == self.generation && connection != nil:
                lifecycle(uuid: uuid, name: name, event: event, detail: detail)
            case .closed, .lifecycle, .stop:
                continue
            }
        }
        if batch.resync, let connection {
            // Events were dropped: the only faithful answer is a fresh inventory.
            do throws(LibvirtError) {
                let read = try readInventory(connection)
                inventory = Dictionary(read.domains.map { ($0.uuid, $0) }, uniquingKeysWith: { first, _ in first })
                let hostname = shared.snapshot().hostname ?? ""
                shared.updateStatus { $0.status.domainCount = read.domains.count }
                shared.gate.send(.connected(host: host, hostname: hostname, domains: read.domains))
                for reason in read.skipped { shared.gate.send(.skipped(host: host, reason: reason)) }
            } catch {
                lost(reason: "cannot re-read the inventory: \(error.description)")
            }
        }
        for (uuid, metadata) in batch.publications {
            if connection != nil {
                write(metadata, uuid: uuid)
            } else {
                pendingMetadata.removeAll { $0.uuid == uuid }
                pendingMetadata.append((uuid, metadata))
            }
        }
    }

    // MARK: Events

    private func lifecycle(uuid: String, name: String, event: Int32, detail: Int32) {
        guard let connection else { return }
        let change = DomainLifecycle(libvirtEvent: event, detail: detail)
        let undefined = event == Int32(VIR_DOMAIN_EVENT_UNDEFINED.rawValue)
        let now = Date()
        shared.updateStatus {
            $0.status.lastEvent = "\(name) \(undefined ? "undefined" : change.description)"
            $0.status.lastEventAt = now
        }
        do throws(LibvirtError) {
            switch try read(try connection.domain(uuid: uuid)) {
            case .record(let record, let notes):
                inventory[uuid] = record
                // Undefined while running: the domain stays, transient.
                shared.gate.send(.domain(host: host, lifecycle: change, domain: record))
                for note in notes { shared.gate.send(.skipped(host: host, reason: note)) }
            case .unreadable(let reason):
                shared.gate.send(.skipped(host: host, reason: reason))
            }
        } catch {
            guard error.isNoDomain else {
                if !connection.isAlive {
                    lost(reason: "\(Self.socketError): \(error.description)")
                } else {
                    shared.gate.send(.skipped(host: host, reason: "domain \(name) (\(uuid)) after \(change): \(error.description)"))
                }
                return
            }
            // Gone: undefined, or a transient domain that stopped (a restored one saved again).
            let known = inventory.removeValue(forKey: uuid)
            if !undefined {
                var last = known ?? DomainRecord(uuid: uuid, name: name, state: .shutOff, macs: [])
                last.state = .shutOff
                shared.gate.send(.domain(host: host, lifecycle: change, domain: last))
            }
            shared.gate.send(.undefined(host: host, uuid: uuid, name: known?.name ?? name))
        }
        let count = inventory.count
        shared.updateStatus { $0.status.domainCount = count }
    }

    // MARK: Metadata

    private func write(_ metadata: String?, uuid: String) {
        guard let connection else { return }
        do throws(LibvirtError) {
            try connection.domain(uuid: uuid).setMetadata(metadata, key: VMManagerClient.metadataKey,
                                                          namespace: VMManagerClient.metadataNamespace)
        } catch {
            if connection.isAlive {
                let what = metadata == nil ? "removing the metadata of" : "writing the metadata of"
                shared.gate.send(.skipped(host: host, reason: "\(what) domain \(uuid): \(error.description)"))
            } else {
                pendingMetadata.append((uuid, metadata))
                lost(reason: "\(Self.socketError): \(error.description)")
            }
        }
    }
}
