import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// Delivers records to one collector from a thread of its own. `submit` only queues (a
/// bounded queue: when it is full the record is dropped and counted), so a collector that
/// is slow, down or unreachable never makes the code that logs wait.
///
/// TCP connects without blocking the caller (a non-blocking connect bounded by
/// `connectTimeout`, on the sender's thread), and reconnects with a backoff from 1 to 30 s
/// when the collector is down or closes the connection; records that arrive meanwhile are
/// dropped and counted, never kept for later (the queue would fill with stale events).
public final class SyslogSender: Sendable {
    /// The fields the sender adds to every record (they change with the configuration).
    public struct Identity: Sendable, Hashable {
        /// 0 (kern) to 23 (local7).
        public var facility: Int
        public var appName: String
        public var procID: String

        public init(facility: Int, appName: String, procID: String) {
            self.facility = facility
            self.appName = appName
            self.procID = procID
        }
    }

    public struct Statistics: Sendable, Hashable {
        public var sent: Int
        public var dropped: Int
        /// TCP: whether a connection to the collector is open now. UDP: always true.
        public var connected: Bool

        public init(sent: Int, dropped: Int, connected: Bool) {
            self.sent = sent
            self.dropped = dropped
            self.connected = connected
        }
    }

    public static let defaultQueueCapacity = 1024
    static let connectTimeout: Int32 = 1000 // milliseconds
    static let sendTimeout = timeval(tv_sec: 2, tv_usec: 0)
    static let backoff: ClosedRange<Double> = 1...30

    public let destination: SyslogDestination
    private let queue: BoundedQueue<SyslogRecord>
    private let identity: Mutex<Identity>
    private let sent = Atomic<Int>(0)
    private let failed = Atomic<Int>(0)
    private let connected = Atomic<Bool>(false)

    public init(destination: SyslogDestination, identity: Identity, queueCapacity: Int = SyslogSender.defaultQueueCapacity) {
        self.destination = destination
        self.identity = Mutex(identity)
        queue = BoundedQueue(capacity: queueCapacity)
        let thread = Thread { [self] in run() }
        thread.name = "vmready.syslog"
        thread.start()
    }

    /// Queues `record`; never waits. False when it was dropped (queue full or stopped).
    @discardableResult
    public func submit(_ record: SyslogRecord) -> Bool { queue.push(record) }

    public func setIdentity(_ new: Identity) { identity.withLock { $0 = new } }

    public var statistics: Statistics {
        Statistics(sent: sent.load(ordering: .relaxed),
                   dropped: queue.droppedCount + failed.load(ordering: .relaxed),
                   connected: destination.transport == .udp || connected.load(ordering: .relaxed))
    }

    /// Ends the sender's thread (it closes its socket); returns at once.
    public func stop() { queue.close() }

    deinit { queue.close() }

    // MARK: The sender's thread

    private func run() {
        var link = Link(destination: destination)
        defer { link.close() }
        link.reconnectIfDue()
        connected.store(link.isOpen, ordering: .relaxed)
        while !queue.isClosed {
            guard let record = queue.pop(timeout: 1) else {
                // Idle: notice a collector that went away or came back.
                link.checkPeer()
                link.reconnectIfDue()
                connected.store(link.isOpen, ordering: .relaxed)
                continue
            }
            let message = identity.withLock { id in
                SyslogMessage(facility: id.facility, severity: record.severity, time: record.time, hostname: record.hostname,
                              appName: id.appName, procID: id.procID, msgID: record.msgID,
                              structuredData: record.structuredData, message: record.message)
            }
            if link.send(message.bytes) {
                sent.add(1, ordering: .relaxed)
            } else {
                failed.add(1, ordering: .relaxed)
            }
            connected.store(link.isOpen, ordering: .relaxed)
        }
    }
}

/// The sender thread's socket: owned by that thread alone.
private struct Link {
    let destination: SyslogDestination
    var fd: Int32 = -1
    var nextAttempt = Date.distantPast
    var backoff = SyslogSender.backoff.lowerBound

    init(destination: SyslogDestination) { self.destination = destination }

    var isOpen: Bool { fd >= 0 }

    /// Sends one message (framed for TCP). False when it could not be handed to the kernel.
    mutating func send(_ message: [UInt8]) -> Bool {
        checkPeer()
        reconnectIfDue()
        guard fd >= 0 else { return false }
        switch destination.transport {
        case .udp:
            // A refused earlier datagram (ICMP) surfaces here as ECONNREFUSED: this one is lost too.
            return message.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT | MSG_NOSIGNAL)) } == message.count
        case .tcp:
            let framed = OctetCounting.frame(message)
            var offset = 0
            while offset < framed.count {
                let written = framed.withUnsafeBytes {
                    Glibc.send(fd, $0.baseAddress! + offset, $0.count - offset, Int32(MSG_NOSIGNAL))
                }
                if written < 0 && errno == EINTR { continue }
                guard written > 0 else {
                    // Send timeout or a broken connection: a half-written frame would
                    // corrupt the stream, so the connection goes and the collector resyncs
                    // on the next one.
                    fail()
                    return false
                }
                offset += written
            }
            return true
        }
    }

    /// TCP: closes the connection when the collector closed or reset it (it never sends
    /// anything, so a readable socket means end of stream or an error).
    mutating func checkPeer() {
        guard fd >= 0, destination.transport == .tcp else { return }
        var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        guard poll(&poller, 1, 0) > 0 else { return }
        var byte: UInt8 = 0
        let peeked = recv(fd, &byte, 1, Int32(MSG_PEEK | MSG_DONTWAIT))
        if peeked == 0 || (peeked < 0 && errno != EAGAIN && errno != EWOULDBLOCK) {
            close()
            nextAttempt = Date.distantPast // a restarted collector is tried again at once
        }
    }

    mutating func reconnectIfDue() {
        guard fd < 0, Date() >= nextAttempt else { return }
        fd = Self.open(destination)
        if fd >= 0 {
            backoff = SyslogSender.backoff.lowerBound
        } else {
            fail()
        }
    }

    /// Closes and schedules the next attempt, backing off.
    private mutating func fail() {
        close()
        nextAttempt = Date(timeIntervalSinceNow: backoff)
        backoff = min(backoff * 2, SyslogSender.backoff.upperBound)
    }

    mutating func close() {
        if fd >= 0 { Glibc.close(fd) }
        fd = -1
    }

    /// A connected socket, or -1. TCP connects non-blocking, waiting at most
    /// `connectTimeout` for the handshake, then sends blocking with a send timeout.
    private static func open(_ destination: SyslogDestination) -> Int32 {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = destination.port.bigEndian
        guard inet_pton(AF_INET, destination.address, &address.sin_addr) == 1 else { return -1 }
        let type = destination.transport == .udp ? SOCK_DGRAM : SOCK_STREAM
        let fd = socket(AF_INET, Int32(type.rawValue) | Int32(SOCK_CLOEXEC.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
        guard fd >= 0 else { return -1 }
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        if result != 0 {
            guard errno == EINPROGRESS else {
                Glibc.close(fd)
                return -1
            }
            var poller = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
            var error: Int32 = 0
            var length = socklen_t(MemoryLayout<Int32>.size)
            guard poll(&poller, 1, SyslogSender.connectTimeout) == 1,
                  getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length) == 0, error == 0 else {
                Glibc.close(fd)
                return -1
            }
        }
        if destination.transport == .tcp {
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK)
            var timeout = SyslogSender.sendTimeout
            _ = setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        }
        return fd
    }
}
