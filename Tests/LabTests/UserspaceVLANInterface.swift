#if os(Linux)
import Dispatch
import Foundation
import Glibc
import Synchronization

/// A VLAN sub-interface done in userspace, for kernels built without an 802.1Q driver:
/// a TAP device in the namespace carries the untagged side (the host's IP stack uses it
/// like `eth0.10`), and a packet socket on the parent carries the tagged side. Frames the
/// stack sends get a tag with `tpid` and `vid` pushed after the MAC addresses; frames
/// arriving tagged `vid` with that TPID are untagged into the TAP; everything else is
/// left to the kernel. TPID 0x8100 plays `type vlan id V`, 0x88a8 plays
/// `type vlan proto 802.1ad id V` (a server NIC's S-channel).
///
/// The relay runs on its own thread, which enters the namespace first: the TAP and the
/// socket belong to the namespace of the thread that creates them.
final class UserspaceVLANInterface: Sendable {
    let name: String
    private let stopWrite: Int32
    private let finished = DispatchSemaphore(value: 0)
    private let stopped = Mutex(false)

    init(namespace: String, parent: String, vid: UInt16, tpid: UInt16 = 0x8100, name: String) throws {
        self.name = name
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { throw LabFailure(description: "pipe: \(String(cString: strerror(errno)))") }
        _ = fcntl(fds[0], F_SETFD, FD_CLOEXEC)
        _ = fcntl(fds[1], F_SETFD, FD_CLOEXEC)
        let stopRead = fds[0]
        stopWrite = fds[1]
        let setupDone = DispatchSemaphore(value: 0)
        let setupError = SetupError()
        let finished = self.finished
        let thread = Thread {
            defer {
                close(stopRead)
                finished.signal()
            }
            let opened: (tap: Int32, packet: Int32)
            do {
                opened = try Self.open(namespace: namespace, parent: parent, name: name)
            } catch {
                setupError.message.withLock { $0 = "\(error)" }
                setupDone.signal()
                return
            }
            setupDone.signal()
            Self.relay(tap: opened.tap, packet: opened.packet, stop: stopRead, vid: vid, tpid: tpid)
            close(opened.tap)
            close(opened.packet)
        }
        thread.start()
        setupDone.wait()
        if let message = setupError.message.withLock({ $0 }) {
            finished.wait()
            close(stopWrite)
            throw LabFailure(description: "cannot make the userspace VLAN interface \(name) in \(namespace): \(message)")
        }
    }

    deinit { stop() }

    /// Stops the relay and closes the TAP, which removes the interface. Bounded wait: the
    /// relay wakes on the stop pipe at once.
    func stop() {
        let first = stopped.withLock { wasStopped in
            defer { wasStopped = true }
            return !wasStopped
        }
        guard first else { return }
        var byte: UInt8 = 1
        _ = write(stopWrite, &byte, 1)
        _ = finished.wait(timeout: .now() + 10)
        close(stopWrite)
    }

    private final class SetupError: Sendable {
        let message = Mutex<String?>(nil)
    }

    // MARK: Linux constants Glibc does not import

    private static let tunSetIff: UInt = 0x4004_54CA
    private static let iffTap: Int16 = 0x0002, iffNoPI: Int16 = 0x1000
    private static let afPacket: Int32 = 17
    private static let ethPAll: UInt16 = 0x0003
    private static let solPacket: Int32 = 263, packetAuxdata: Int32 = 8
    private static let packetOutgoing: UInt8 = 4
    private static let tpStatusVLANValid: UInt32 = 0x10, tpStatusVLANTPIDValid: UInt32 = 0x40
    private static let sockaddrLLSize = 20

    /// Enters `namespace` (this thread only) and opens the TAP `name` and a packet socket
    /// bound to `parent`.
    private static func open(namespace: String, parent: String, name: String) throws -> (tap: Int32, packet: Int32) {
        try NetworkNamespace.enter(namespace)

        let tap = Glibc.open("/dev/net/tun", O_RDWR | O_CLOEXEC)
        guard tap >= 0 else { throw LabFailure(description: "open /dev/net/tun: \(String(cString: strerror(errno)))") }
        // struct ifreq: the name in 16 bytes, then the flags.
        var request = [UInt8](repeating: 0, count: 40)
        for (i, byte) in name.utf8.prefix(15).enumerated() { request[i] = byte }
        request.withUnsafeMutableBytes { $0.storeBytes(of: iffTap | iffNoPI, toByteOffset: 16, as: Int16.self) }
        let made = request.withUnsafeMutableBytes { ioctl(tap, tunSetIff, $0.baseAddress!) }
        guard made == 0 else {
            let message = String(cString: strerror(errno))
            close(tap)
            throw LabFailure(description: "TUNSETIFF \(name): \(message)")
        }

        let index = if_nametoindex(parent)
        let packet = socket(afPacket, Int32(SOCK_RAW.rawValue) | Int32(SOCK_CLOEXEC.rawValue), Int32(ethPAll.bigEndian))
        guard index > 0, packet >= 0 else {
            let message = String(cString: strerror(errno))
            close(tap)
            if packet >= 0 { close(packet) }
            throw LabFailure(description: "packet socket on \(parent): \(message)")
        }
        // The kernel moves an arriving frame's tag out of the data; the auxiliary data
        // gives it back.
        var on: Int32 = 1
        var address = [UInt8](repeating: 0, count: sockaddrLLSize)
        address.withUnsafeMutableBytes {
            $0.storeBytes(of: UInt16(afPacket), toByteOffset: 0, as: UInt16.self)
            $0.storeBytes(of: ethPAll.bigEndian, toByteOffset: 2, as: UInt16.self)
            $0.storeBytes(of: Int32(index), toByteOffset: 4, as: Int32.self)
        }
        let bound = address.withUnsafeBytes {
            bind(packet, $0.baseAddress!.assumingMemoryBound(to: sockaddr.self), socklen_t(sockaddrLLSize))
        }
        guard setsockopt(packet, solPacket, packetAuxdata, &on, socklen_t(MemoryLayout<Int32>.size)) == 0, bound == 0 else {
            let message = String(cString: strerror(errno))
            close(tap)
            close(packet)
            throw LabFailure(description: "bind to \(parent): \(message)")
        }
        return (tap, packet)
    }

    /// Moves frames between the TAP and the parent until `stop` becomes readable.
    private static func relay(tap: Int32, packet: Int32, stop: Int32, vid: UInt16, tpid: UInt16) {
        let capacity = 65_536
        let frame = UnsafeMutableRawPointer.allocate(byteCount: capacity + 4, alignment: 8)
        let name = UnsafeMutableRawPointer.allocate(byteCount: sockaddrLLSize, alignment: 8)
        let control = UnsafeMutableRawPointer.allocate(byteCount: 256, alignment: 8)
        let vector = UnsafeMutablePointer<iovec>.allocate(capacity: 1)
        defer {
            frame.deallocate()
            name.deallocate()
            control.deallocate()
            vector.deallocate()
        }
        var fds = [pollfd(fd: tap, events: Int16(POLLIN), revents: 0),
                   pollfd(fd: packet, events: Int16(POLLIN), revents: 0),
                   pollfd(fd: stop, events: Int16(POLLIN), revents: 0)]
        while true {
            for i in fds.indices { fds[i].revents = 0 }
            if poll(&fds, nfds_t(fds.count), -1) < 0 {
                if errno == EINTR { continue }
                return
            }
            if fds[2].revents != 0 { return }
            if fds[0].revents & Int16(POLLIN) != 0 {
                // From the stack: push the tag after the two MAC addresses.
                let n = read(tap, frame + 4, capacity)
                if n >= 14 {
                    frame.copyMemory(from: frame + 4, byteCount: 12)
                    frame.storeBytes(of: tpid.bigEndian, toByteOffset: 12, as: UInt16.self)
                    frame.storeBytes(of: (vid & 0x0FFF).bigEndian, toByteOffset: 14, as: UInt16.self)
                    _ = send(packet, frame, n + 4, 0)
                }
            }
            if fds[1].revents & Int16(POLLIN) != 0 {
                vector.pointee = iovec(iov_base: frame, iov_len: capacity)
                var message = msghdr()
                message.msg_name = name
                message.msg_namelen = socklen_t(sockaddrLLSize)
                message.msg_iov = vector
                message.msg_iovlen = 1
                message.msg_control = control
                message.msg_controllen = 256
                let n = recvmsg(packet, &message, 0)
                guard n >= 14, name.load(fromByteOffset: 10, as: UInt8.self) != packetOutgoing else { continue }
                var tci: UInt16?
                // Kernels too old to report the TPID only took 802.1Q tags out.
                var tagTPID: UInt16 = 0x8100
                var offset = 0
                let controlLength = Int(message.msg_controllen)
                while offset + 16 <= controlLength {
                    // struct cmsghdr: size_t length, int level, int type, then the data.
                    let length = Int(control.loadUnaligned(fromByteOffset: offset, as: UInt.self))
                    let level = control.loadUnaligned(fromByteOffset: offset + 8, as: Int32.self)
                    let type = control.loadUnaligned(fromByteOffset: offset + 12, as: Int32.self)
                    if level == solPacket, type == packetAuxdata, offset + 16 + 20 <= controlLength {
                        // struct tpacket_auxdata: status, len, snaplen, mac, net, vlan_tci, vlan_tpid.
                        let status = control.loadUnaligned(fromByteOffset: offset + 16, as: UInt32.self)
                        if status & tpStatusVLANValid != 0 {
                            tci = control.loadUnaligned(fromByteOffset: offset + 32, as: UInt16.self)
                            if status & tpStatusVLANTPIDValid != 0 {
                                tagTPID = control.loadUnaligned(fromByteOffset: offset + 34, as: UInt16.self)
                            }
                        }
                    }
                    guard length >= 16 else { break }
                    offset += (length + 7) & ~7
                }
                var size = n
                if tci == nil, n >= 18, UInt16(bigEndian: frame.loadUnaligned(fromByteOffset: 12, as: UInt16.self)) == tpid {
                    // The tag is still in the data: take it out.
                    tci = UInt16(bigEndian: frame.loadUnaligned(fromByteOffset: 14, as: UInt16.self))
                    (frame + 12).copyMemory(from: frame + 16, byteCount: n - 16)
                    size = n - 4
                    tagTPID = tpid
                }
                if let tci, tagTPID == tpid, tci & 0x0FFF == vid {
                    _ = write(tap, frame, size)
                }
            }
        }
    }
}
#endif
