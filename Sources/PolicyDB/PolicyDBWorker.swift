import Foundation
import Frames

/// The body of the client's thread: connect (migrate, LISTEN, read the VSI types, write
/// the locations again), then wait on the request pipe and the database socket together,
/// and on failure wait out the backoff and start over. Its state is the thread's alone.
final class PolicyDBWorker {
    private let shared: PolicyDBShared
    private var settings: PolicyDBSettings { shared.settings }
    private var connection: PolicyConnection?
    private var failures = 0
    private var nextAttempt = ContinuousClock.now
    private var nextTouch = ContinuousClock.now
    /// Whether `.down` was sent for the current outage (each change of state is sent once).
    private var reportedDown = false
    /// Answers by MAC, with the identity they were asked for: served again without a query,
    /// and while down. Emptied by any change of profiles or assignments and on reconnect.
    private var cache: [MACAddress: CachedAnswer] = [:]
    /// This switch's VMs as it last recorded them: written again after every reconnect (the
    /// database may have been restored, or rows lost while down).
    private var locations: [MACAddress: VMLocation] = [:]
    /// VMs that left while down: their rows are removed after reconnecting.
    private var departed: Set<MACAddress> = []

    private struct CachedAnswer {
        var name: String?
        var uuid: String?
        var profile: PolicyProfile?
    }

    init(_ shared: PolicyDBShared) { self.shared = shared }

    func run() {
        defer { connection = nil }
        while !shared.gate.isClosed {
            if connection == nil && ContinuousClock.now >= nextAttempt { connect() }
            wait()
            let (requests, stop) = shared.mailbox.take()
            if stop || shared.gate.isClosed {
                // Whoever waits for a location query gets an answer, even now.
                for case .query(_, let reply) in requests { reply(.failure(.down("policy database client stopped"))) }
                return
            }
            readNotifications()
            for request in requests { handle(request) }
            if connection != nil && ContinuousClock.now >= nextTouch { touch() }
        }
    }

    /// Sleeps until a request, a notification, the next attempt or the next touch.
    private func wait() {
        let deadline = connection == nil ? nextAttempt : nextTouch
        let left = ContinuousClock.now.duration(to: deadline)
        let milliseconds = left <= .zero ? 0 : Int32(clamping: left.components.seconds * 1000 + left.components.attoseconds / 1_000_000_000_000_000 + 1)
        var descriptors = [pollfd(fd: shared.mailbox.wakeDescriptor, events: Int16(POLLIN), revents: 0)]
        if let connection { descriptors.append(pollfd(fd: connection.socket, events: Int16(POLLIN), revents: 0)) }
        _ = poll(&descriptors, nfds_t(descriptors.count), milliseconds)
    }

    // MARK: Connecting

    private func connect() {
        shared.updateStatus {
            if $0.state != .down { $0.state = .connecting }
            $0.nextAttempt = nil
        }
        let opened: PolicyConnection
        let version: Int
        let table: VSITypeTable
        do throws(PolicyDBError) {
            opened = try PolicyConnection(uri: settings.uri, passwordFile: settings.passwordFile,
                                          connectTimeout: settings.connectTimeoutSeconds, statementTimeout: settings.statementTimeout)
            version = try opened.migrate()
            try opened.listen()
            try opened.touchSwitch(id: settings.switchID, hostname: settings.hostname)
            for mac in departed { try opened.removeLocation(mac: mac, switchID: settings.switchID) }
            for location in locations.values.sorted(by: { $0.mac < $1.mac }) { try opened.recordLocation(location) }
            table = try opened.vsiTypes()
        } catch {
            failures += 1
            down(reason: error.description)
            return
        }
        connection = opened
        departed = []
        cache = [:]
        failures = 0
        reportedDown = false
        nextTouch = ContinuousClock.now + settings.touchInterval
        shared.updateStatus {
            $0.state = .connected
            $0.reason = nil
            $0.since = Date()
            $0.schemaVersion = version
            $0.retries = 0
            $0.nextAttempt = nil
            $0.cachedAnswers = 0
        }
        shared.gate.send(.connected(schemaVersion: version))
        send(table)
    }

    private func send(_ table: VSITypeTable) {
        shared.gate.send(.vsiTypes(table.rows, profiles: table.profiles))
        for bad in table.badRows { shared.gate.send(.badRow(bad.description)) }
    }

    /// Closes the connection and waits out the backoff; `.down` once per outage.
    private func down(reason: String) {
        connection = nil
        let delay = settings.retryDelay(afterFailures: failures)
        nextAttempt = ContinuousClock.now + delay
        let failures = failures
        let wasDown = reportedDown
        reportedDown = true
        let next = Date().addingTimeInterval(Double(delay.components.seconds) + Double(delay.components.attoseconds) / 1e18)
        shared.updateStatus {
            if $0.state != .down { $0.since = Date() }
            $0.state = .down
            $0.reason = reason
            $0.retries = failures
            $0.nextAttempt = next
        }
        if !wasDown { shared.gate.send(.down(reason: reason)) }
    }

    /// A statement failed: a lost connection starts the backoff, anything else is reported
    /// and the connection kept.
    private func failed(_ error: PolicyDBError) {
        if error.isConnectionFailure || connection?.isAlive == false {
            failures = 1
            down(reason: error.description)
        } else {
            shared.updateStatus { $0.queryFailures += 1 }
            shared.gate.send(.queryFailed(error.description))
        }
    }

    private func touch() {
        guard let connection else { return }
        nextTouch = ContinuousClock.now + settings.touchInterval
        do throws(PolicyDBError) {
            try connection.touchSwitch(id: settings.switchID, hostname: settings.hostname)
        } catch {
            failed(error)
        }
    }

    // MARK: Notifications

    private func readNotifications() {
        guard let connection else { return }
        let changes: [PolicyChange]
        do throws(PolicyDBError) {
            changes = try connection.pendingChanges()
        } catch {
            failed(error)
            return
        }
        guard !changes.isEmpty else { return }
        shared.updateStatus { $0.lastNotify = Date() }
        if changes.contains(where: \.affectsAssignments) {
            cache = [:]
            shared.updateStatus { $0.cachedAnswers = 0 }
            shared.gate.send(.changed)
        }
        if changes.contains(where: \.affectsVSITypes) {
            do throws(PolicyDBError) {
                send(try connection.vsiTypes())
            } catch {
                failed(error)
            }
        }
    }

    // MARK: Requests

    private func handle(_ request: PolicyDBMailbox.Request) {
        switch request {
        case .resolve(let mac, let name, let uuid):
            resolve(mac: mac, name: name, uuid: uuid)
        case .record(let location):
            locations[location.mac] = location
            departed.remove(location.mac)
            guard let connection else { return }
            do throws(PolicyDBError) {
                try connection.recordLocation(location)
            } catch {
                failed(error)
            }
        case .remove(let mac):
            locations.removeValue(forKey: mac)
            cache.removeValue(forKey: mac)
            guard let connection else {
                departed.insert(mac)
                return
            }
            do throws(PolicyDBError) {
                try connection.removeLocation(mac: mac, switchID: settings.switchID)
            } catch {
                departed.insert(mac)
                failed(error)
            }
        case .query(let key, let reply):
            guard let connection else {
                reply(.failure(.down(shared.record.withLock { $0.reason } ?? "not connected")))
                return
            }
            do throws(PolicyDBError) {
                let found = try connection.locations(matching: key)
                for bad in found.badRows { shared.gate.send(.badRow(bad.description)) }
                shared.updateStatus { $0.queriesAnswered += 1 }
                reply(.success(found.rows))
            } catch {
                reply(.failure(error))
                failed(error)
            }
        }
    }

    private func resolve(mac: MACAddress, name: String?, uuid: String?) {
        let uuid = uuid.flatMap(VMKey.canonicalUUID) ?? uuid
        if let cached = cache[mac], cached.name == name, cached.uuid == uuid {
            answered(mac: mac, profile: cached.profile)
            return
        }
        guard let connection else { return }
        let resolution: PolicyResolution
        do throws(PolicyDBError) {
            resolution = try connection.resolve(mac: mac, name: name, uuid: uuid)
        } catch {
            failed(error)
            return
        }
        for bad in resolution.badRows { shared.gate.send(.badRow(bad.description)) }
        cache[mac] = CachedAnswer(name: name, uuid: uuid, profile: resolution.profile)
        let count = cache.count
        shared.updateStatus { $0.cachedAnswers = count }
        answered(mac: mac, profile: resolution.profile)
    }

    private func answered(mac: MACAddress, profile: PolicyProfile?) {
        shared.updateStatus { $0.queriesAnswered += 1 }
        shared.gate.send(.resolved(mac: mac, profile: profile))
    }
}
