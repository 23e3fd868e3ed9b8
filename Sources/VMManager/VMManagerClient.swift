import Foundation
import Synchronization
import SwitchTypes

/// One hypervisor host through libvirt: connects, keeps the host's inventory current by
/// lifecycle events, writes the switch's port metadata into its domains, and reconnects
/// with backoff. Everything that talks to the host runs on the client's own thread, so a
/// host that is slow or down never delays the caller or another host's client; the
/// methods here only post work to that thread or read a snapshot.
///
/// Events go to `deliver`, in order, on the client's thread (see `VMManagerEvent`).
public final class VMManagerClient: Sendable {
    /// The metadata element's namespace and prefix (`virsh metadata DOMAIN --uri ...`).
    public static let metadataNamespace = "urn:x-vmready:switchport:1"
    public static let metadataKey = "vmready"

    public let host: String
    public let uri: String
    public let retry: VMManagerRetry
    private let shared: ClientShared
    private let thread = OwnThread()

    /// `host` is the operator's name for the hypervisor (it tags every event); `uri` a
    /// libvirt URI such as `test+tcp://198.18.0.2/default` or `qemu+ssh://root@h/system`.
    public init(host: String, uri: String, retry: VMManagerRetry = .standard,
                deliver: @escaping @Sendable (VMManagerEvent) -> Void) {
        self.host = host
        self.uri = uri
        self.retry = retry
        shared = ClientShared(host: host, uri: uri, retry: retry, deliver: deliver)
    }

    deinit { stop() }

    /// Starts the client's thread, which connects at once; returns at once. Later calls do nothing.
    public func start() {
        let shared = shared
        thread.start(name: "vmmanager-\(host)") { ClientWorker(shared).run() }
    }

    /// Writes `metadata` (one XML element, e.g. `<port switch="tor-7" port="3"/>`) into
    /// domain `uuid`'s metadata under `metadataNamespace`, or removes it when nil. Queued:
    /// written on the client's thread (a failure arrives as `.skipped`); while not
    /// connected the latest value per domain is kept and written after reconnecting.
    public func publish(uuid: String, metadata: String?) {
        shared.mailbox.publish(uuid: DomainXML.canonicalUUID(uuid) ?? uuid, metadata: metadata)
    }

    /// The connection as it is now; never waits for the host.
    public var status: VMManagerStatus { shared.snapshot() }

    /// Closes the connection (on its thread, which may still be inside a blocking libvirt
    /// call and then ends when that returns); nothing is delivered after this returns.
    public func stop() {
        shared.gate.close()
        shared.mailbox.post(.stop)
    }
}

/// What the client and its thread share.
final class ClientShared: Sendable {
    let host: String
    let uri: String
    let retry: VMManagerRetry
    let mailbox = ClientMailbox()
    let gate: DeliveryGate<VMManagerEvent>
    let status: Mutex<StatusRecord>

    struct StatusRecord {
        var status: VMManagerStatus
        /// `Monotonic.now` of the next attempt while down.
        var nextAttempt: Double?
    }

    init(host: String, uri: String, retry: VMManagerRetry, deliver: @escaping @Sendable (VMManagerEvent) -> Void) {
        self.host = host
        self.uri = uri
        self.retry = retry
        gate = DeliveryGate(deliver)
        status = Mutex(StatusRecord(status: VMManagerStatus(host: host, uri: uri)))
    }

    func snapshot() -> VMManagerStatus {
        status.withLock { record in
            var status = record.status
            if let next = record.nextAttempt {
                status.retryInSeconds = max(0, Int((next - Monotonic.now).rounded(.up)))
            }
            return status
        }
    }

    func updateStatus(_ body: (inout StatusRecord) -> Void) {
        status.withLock { body(&$0) }
    }
}
