#if os(Linux)
import Foundation
import Frames
import Glibc
import Protocols
import Synchronization
import SwitchTypes

/// The bridge side of 802.1Qbg without the switch: a `ControlPlane` with the LLDP and EVB
/// agents, its punt and inject on an AF_PACKET socket bound to one interface inside a
/// network namespace, run by a thread of its own (setns changes only the calling thread, and
/// the socket stays in the namespace it was opened in). Port 1 is that interface.
final class EVBBridgeHarness: Sendable {
    let lldp: LLDPAgent
    let evb: EVBAgent
    let events = EventLog()
    private let stopRequested = Atomic<Bool>(false)
    private let finished = DispatchSemaphore(value: 0)
    private let failure = Mutex<String?>(nil)
    private let started = DispatchSemaphore(value: 0)

    private static let afPacket: Int32 = 17
    private static let ethPAll: UInt16 = 0x0003
    private static let packetOutgoing: UInt8 = 4

    init(lldp: LLDPSettings, evb: EVBSettings, types: any VSITypeDatabase) {
        self.lldp = LLDPAgent(settings: lldp)
        self.evb = EVBAgent(settings: evb, types: types)
        self.evb.setObserver { [events] event in events.list.withLock { $0.append(event) } }
    }

    /// Starts the loop on `device` in `namespace`; throws when the socket could not be opened.
    func start(namespace: String, device: String) throws {
        let thread = Thread { [self] in
            defer { finished.signal() }
            do {
                try run(namespace: namespace, device: device)
            } catch {
                failure.withLock { $0 = "\(error)" }
                started.signal()
            }
        }
        thread.start()
        started.wait()
        if let message = failure.withLock({ $0 }) { throw LabFailure(description: "EVB harness: \(message)") }
    }

    /// VDP's events, as the observer got them.
    final class EventLog: Sendable {
        let list = Mutex<[VDPEvent]>([])
    }

    func stop() {
        stopRequested.store(true, ordering: .releasing)
        finished.wait()
    }

    static func now() -> Timestamp {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return Timestamp(nanoseconds: Int64(spec.tv_sec) * 1_000_000_000 + Int64(spec.tv_nsec))
    }

    private func run(namespace: String, device: String) throws {
        try NetworkNamespace.enter(namespace)
        let index = Int32(if_nametoindex(device))
        guard index > 0 else { throw LabFailure(description: "no interface \(device)") }
        let fd = socket(Self.afPacket, Int32(SOCK_RAW.rawValue) | Int32(SOCK_CLOEXEC.rawValue) | Int32(SOCK_NONBLOCK.rawValue),
                        Int32(Self.ethPAll.bigEndian))
        guard fd >= 0 else { throw LabFailure(description: "packet socket: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        // struct sockaddr_ll: family, protocol, ifindex, hatype, pkttype, halen, addr[8].
        var address = [UInt8](repeating: 0, count: 20)
        address.withUnsafeMutableBytes {
            $0.storeBytes(of: UInt16(Self.afPacket), toByteOffset: 0, as: UInt16.self)
            $0.storeBytes(of: Self.ethPAll.bigEndian, toByteOffset: 2, as: UInt16.self)
            $0.storeBytes(of: index, toByteOffset: 4, as: Int32.self)
        }
        let bound = address.withUnsafeBytes { bind(fd, $0.baseAddress!.assumingMemoryBound(to: sockaddr.self), 20) }
        guard bound == 0 else { throw LabFailure(description: "bind: \(String(cString: strerror(errno)))") }

        let control = ControlPlane(clock: Self.now, drain: { body in
            var buffer = [UInt8](repeating: 0, count: 2048)
            var from = [UInt8](repeating: 0, count: 20)
            var count = 0
            while true {
                var length = socklen_t(20)
                let received = buffer.withUnsafeMutableBytes { bytes in
                    from.withUnsafeMutableBytes {
                        recvfrom(fd, bytes.baseAddress, bytes.count, 0, $0.baseAddress!.assumingMemoryBound(to: sockaddr.self), &length)
                    }
                }
                guard received > 0 else { return count }
                // Our own frames come back to an ETH_P_ALL socket as outgoing: not punted.
                if from[10] == Self.packetOutgoing { continue }
                count += 1
                buffer.withUnsafeBytes { body(1, Self.now(), UnsafeRawBufferPointer(rebasing: $0[0..<received])) }
            }
        }, transmit: { frame in
            guard frame.port == 1 else { return false }
            let sent = frame.bytes.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) }
            return sent == frame.bytes.count
        })
        control.register(lldp)
        control.register(evb)
        started.signal()
        while !stopRequested.load(ordering: .acquiring) {
            let deadline = control.step()
            var wait: Int64 = 20_000_000
            if let deadline { wait = min(wait, max(0, deadline.nanoseconds - Self.now().nanoseconds)) }
            var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            _ = poll(&poller, 1, Int32(wait / 1_000_000))
        }
    }
}
#endif
