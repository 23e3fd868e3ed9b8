import Dataplane
import Frames
import Glibc
import SwitchTypes

// Station policy changes at scale, on the pipeline directly (one thread):
// - dataplane.station_update_us: median time of one `updateStationPolicies`
//   call changing one station — adding one, changing one's VLAN, removing
//   one, in turn — with 100,000 stations installed and learned;
// - dataplane.station_recompile_100k_ms: what the same change cost before
//   updates existed, a configuration whose 100,000 policies differ in one,
//   compiled as a whole (best of three);
// - dataplane.station_install_100k_ms: the 100,000 installed by one update
//   into an empty table (the VM layer's start-up), best of three.

private let installedStations = 100_000
private let stationPorts = 8
private let stationVLANs = 64

/// VM `index`'s address, 00:50:56 then 24 bits of a multiplicative hash.
private func stationAddress(_ index: Int) -> MACAddress {
    MACAddress(rawValue: 0x0050_5600_0000 | (UInt64(truncatingIfNeeded: index &+ 1) &* 0x9E37_79B1 & 0xff_ffff))
}

private func stationPolicy(_ index: Int, vlanOffset: Int = 0) -> StationPolicy {
    StationPolicy(vlan: UInt16(100 + (index + vlanOffset) % stationVLANs),
                  ingressShaping: Shaping(averageKbps: 1_000_000, burstKBytes: 64, peakKbps: 1_000_000),
                  acls: [10 + index % 4], locationHint: index % stationPorts + 1)
}

/// 8 server ports, 64 VLANs, four ACLs; 100,000 station policies compiled from the
/// configuration, every station then learned (the MAC table holds them all).
private func stationSetup() -> (ForwardingPipeline, BridgeConfiguration) {
    var configuration = try! BridgeConfiguration(portCount: stationPorts)
    configuration.macLimit = 262_144
    for vlan in 0..<stationVLANs { try! configuration.vlans.create(UInt16(100 + vlan)) }
    for number in 10..<14 {
        var permit = ACLRule()
        permit.etherType = UInt16(0x0800 + number)
        permit.action = .permit
        configuration.acls[number] = permit
    }
    configuration.stationPolicyPorts = Set(1...stationPorts)
    // The policies (unique by construction of the hash over 24 bits for these indexes).
    var index = 0
    while configuration.stationPolicies.count < installedStations {
        configuration.stationPolicies[stationAddress(index)] = stationPolicy(index)
        index += 1
    }
    let pipeline = try! ForwardingPipeline(configuration: configuration, egress: DiscardingSink(), clock: SystemClock())
    let frame = UnsafeMutableRawBufferPointer.allocate(byteCount: 64, alignment: 16)
    defer { frame.deallocate() }
    frame.initializeMemory(as: UInt8.self, repeating: 0)
    MACAddress.broadcast.store(into: frame, atOffset: 0)
    frame.storeBytes(of: UInt16(0x88b5).bigEndian, toByteOffset: 12, as: UInt16.self)
    let batch = FrameBatch(capacity: 256, byteCapacity: 256 * 64)
    for (mac, policy) in configuration.stationPolicies {
        mac.store(into: frame, atOffset: 6)
        if batch.isFull {
            pipeline.process(batch)
            batch.removeAll()
        }
        _ = batch.append(UnsafeRawBufferPointer(frame), port: policy.locationHint ?? 1)
    }
    pipeline.process(batch)
    if pipeline.macTable.count < installedStations {
        stationWarning("station benchmarks: expected \(installedStations) learned stations, have \(pipeline.macTable.count)")
    }
    return (pipeline, configuration)
}

/// A diagnostic line on stderr, as the other dataplane figures write theirs.
private func stationWarning(_ message: String) {
    let line = "vmready-bench: \(message)\n"
    _ = line.utf8CString.withUnsafeBufferPointer { write(2, $0.baseAddress, $0.count - 1) }
}

private final class DiscardingSink: EgressSink {
    func transmit(_ frame: UnsafeRawBufferPointer, port: Int) -> Bool { true }
}

func runStationBenchmarks() {
    let wantsUpdate = selected("dataplane.station_update_us")
    let wantsRecompile = selected("dataplane.station_recompile_100k_ms")
    let wantsInstall = selected("dataplane.station_install_100k_ms")
    guard wantsUpdate || wantsRecompile || wantsInstall else { return }
    let (pipeline, configuration) = stationSetup()

    if wantsUpdate {
        var durations: [UInt64] = []
        let rounds = 3000
        durations.reserveCapacity(rounds)
        for round in 0..<rounds {
            // A new station (beyond the installed ones), a change of an installed one's VLAN, the new one removed.
            let newcomer = stationAddress(installedStations + 1_000_000 + round / 3)
            let change: [MACAddress: StationPolicy?]
            switch round % 3 {
            case 0: change = [newcomer: stationPolicy(round)]
            case 1: change = [stationAddress(round): stationPolicy(round, vlanOffset: 1 + round % 7)]
            default: change = [newcomer: StationPolicy?.none]
            }
            let start = now()
            pipeline.updateStationPolicies(change)
            durations.append(now() - start)
        }
        durations.sort()
        if pipeline.stationTableStatistics().count != installedStations {
            stationWarning("station benchmarks: \(pipeline.stationTableStatistics().count) stations after the updates")
        }
        report("dataplane.station_update_us", Double(durations[durations.count / 2]) / 1000, "us")
    }

    if wantsRecompile {
        var best = UInt64.max
        for round in 0..<3 {
            var changed = configuration
            changed.stationPolicies[stationAddress(round)] = stationPolicy(round, vlanOffset: 1 + round)
            let start = now()
            try! pipeline.apply(changed)
            best = min(best, now() - start)
        }
        report("dataplane.station_recompile_100k_ms", Double(best) / 1e6, "ms")
    }

    if wantsInstall {
        var empty = configuration
        empty.stationPolicies = [:]
        let changes = configuration.stationPolicies.mapValues { Optional($0) }
        var best = UInt64.max
        for _ in 0..<3 {
            let fresh = try! ForwardingPipeline(configuration: empty, egress: DiscardingSink(), clock: SystemClock())
            let start = now()
            fresh.updateStationPolicies(changes)
            best = min(best, now() - start)
            if fresh.stationTableStatistics().count != installedStations {
                stationWarning("station benchmarks: \(fresh.stationTableStatistics().count) stations installed")
            }
        }
        report("dataplane.station_install_100k_ms", Double(best) / 1e6, "ms")
    }
}
