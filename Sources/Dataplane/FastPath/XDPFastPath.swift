import CXDP

/// The XDP fast path's program and maps: BPF/fast_path.bpf.c, compiled and embedded by the
/// package's build (Plugins/BPFEmbedder), loaded once per engine and attached to every
/// fast-path port (`XDPPort(interface:fastPath:port:)`). See README.md, "XDP fast path".
///
/// `@unchecked Sendable`: the handle never changes after init and the map calls are
/// syscalls, which the kernel serialises; the control side reads only counters. The
/// station map and its sweep are written only by the forwarding thread (`FastPathSync`).
final class XDPFastPath: @unchecked Sendable {
    let handle: OpaquePointer

    /// Loads the program with its station map sized for `stationCapacity` entries (the MAC
    /// table's capacity: a full map only means more frames take the userspace path).
    /// - Throws: `DataplaneError.xdpFastPath` when the kernel refuses the program.
    init(stationCapacity: Int) throws(DataplaneError) {
        let object = XDPFastPath.object
        var failure = vmready_xsk_failure()
        let opened = object.withUnsafeBytes { bytes in
            vmready_fp_open(bytes.baseAddress, bytes.count, UInt32(clamping: stationCapacity), &failure)
        }
        guard let opened else {
            throw .xdpFastPath(target: "program", step: failure.step.map { String(cString: $0) } ?? "open",
                               errno: failure.error)
        }
        handle = opened
    }

    deinit { vmready_fp_close(handle) }

    /// The embedded BPF object, decoded once.
    static let object: [UInt8] = {
        let hex = fastPathObjectHex
        var bytes = [UInt8]()
        bytes.reserveCapacity(hex.utf8CodeUnitCount / 2)
        hex.withUTF8Buffer { digits in
            func value(_ digit: UInt8) -> UInt8 { digit <= 57 ? digit - 48 : digit - 87 }
            var index = 0
            while index + 1 < digits.count {
                bytes.append(value(digits[index]) << 4 | value(digits[index + 1]))
                index += 2
            }
        }
        return bytes
    }()

    /// What the kernel forwarded from and to `port` since the program was loaded, and how
    /// many of the frames it sent there the device refused.
    func counters(port: Int) -> (forwarded: vmready_fp_counters, egressDrops: UInt64) {
        var sum = vmready_fp_counters()
        vmready_fp_counters(handle, UInt32(truncatingIfNeeded: port), &sum)
        return (sum, vmready_fp_egress_drops(handle, UInt32(truncatingIfNeeded: port)))
    }
}
