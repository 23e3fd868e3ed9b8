import Foundation
import Frames
import Synchronization
import SwitchTypes

/// The switch's long-lived connection to the policy database. Everything that talks to
/// PostgreSQL runs on the client's own thread, so a database that is down or slow never
/// delays forwarding, the CLI or VM detection: the methods here only queue a request
/// (bounded: overflow is dropped and counted) or read a snapshot.
///
/// Events go to `deliver`, in order, on the client's thread (see `PolicyDBEvent`).
public final class PolicyDBClient: Sendable {
    public let settings: PolicyDBSettings
    private let shared: PolicyDBShared
    private let thread = OwnThread()
    private var mailbox: PolicyDBMailbox { shared.mailbox }

    public init(settings: PolicyDBSettings, deliver: @escaping @Sendable (PolicyDBEvent) -> Void) {
        self.settings = settings
        shared = PolicyDBShared(settings: settings, deliver: deliver)
    }

    deinit { stop() }

    /// Starts the client's thread, which connects at once; returns at once. Later calls do nothing.
    public func start() {
        let shared = shared
        thread.start(name: "policy-db") { PolicyDBWorker(shared).run() }
    }

    /// Closes the connection (on its thread, which may still be inside a statement and ends
    /// when it returns, within the statement timeout); nothing is delivered after this returns.
    public func stop() {
        shared.gate.close()
        mailbox.stop()
    }

    /// Asks for the VM's profile; answered by `.resolved` (from the cache when it holds the
    /// VM's answer). While down, a cached answer is delivered again, else nothing: the
    /// switch re-resolves every VM on `.connected`.
    public func resolve(mac: MACAddress, name: String?, uuid: String?) {
        mailbox.post(.resolve(mac: mac, name: name, uuid: uuid))
    }

    /// Records the VM's location (kept and written again after a reconnect).
    public func recordLocation(_ location: VMLocation) {
        mailbox.post(.record(location))
    }

    /// The VM left this switch: its row goes, unless another switch holds it by now.
    public func removeLocation(mac: MACAddress) {
        mailbox.post(.remove(mac: mac))
    }

    /// Locations, all or one VM's; `reply` is called on the client's thread (with `.down`
    /// while not connected, or when the queue is full, at once on the caller's thread).
    public func query(locations key: VMKey?, reply: @escaping @Sendable (Result<[VMLocation], PolicyDBError>) -> Void) {
        if !mailbox.post(.query(key, reply: reply)) { reply(.failure(.down("request queue full or client stopped"))) }
    }

    /// The connection as it is now; never waits for the database.
    public func status() -> PolicyDBStatus {
        var status = shared.record.withLock { $0 }
        status.queueDrops = mailbox.dropped
        return status
    }
}

/// What the client and its thread share; the thread holds this, not the client, so the
/// switch dropping the client stops the thread (deinit).
final class PolicyDBShared: Sendable {
    let settings: PolicyDBSettings
    let mailbox: PolicyDBMailbox
    let gate: DeliveryGate<PolicyDBEvent>
    let record = Mutex(PolicyDBStatus())

    init(settings: PolicyDBSettings, deliver: @escaping @Sendable (PolicyDBEvent) -> Void) {
        self.settings = settings
        mailbox = PolicyDBMailbox(limit: settings.queueLimit)
        gate = DeliveryGate(deliver)
    }

    func updateStatus(_ body: (inout PolicyDBStatus) -> Void) {
        record.withLock { body(&$0) }
    }
}
