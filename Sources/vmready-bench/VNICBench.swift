import Dataplane
import Frames
import SwitchTypes

/// `dataplane.vnic_switch_mode_64B`: `dataplane.l2_vlan_tagged_64B`'s traffic with every
/// station behind a vNIC. 8 ports with 4 vNICs each (S-VIDs 1-4, trunks of VLANs 10-40),
/// 4096 stations learned beforehand, every frame known unicast from a vNIC to a vNIC of
/// another port: S-tag stripped on ingress, C-tag kept, the other vNIC's S-tag pushed.
func benchmarkVNICSwitchMode() -> Double {
    let (pipeline, sink, batches) = vnicSwitchModeSetup()
    return pumpVNICSwitchMode(pipeline, sink, batches)
}

/// `dataplane.vnic_switch_mode_64B`'s pipeline with its stations learned, and its traffic.
func vnicSwitchModeSetup() -> (ForwardingPipeline, CountingSink, [FrameBatch]) {
    let portCount = 8
    let stations = 4096
    let vlans: [UInt16] = [10, 20, 30, 40]
    var configuration = try! BridgeConfiguration(portCount: portCount)
    for vlan in vlans { try! configuration.vlans.create(vlan) }
    configuration.vnicEnabled = true
    for port in 1...portCount {
        var settings = VNICPortConfiguration()
        for index in VNICConfiguration.indexRange {
            var vnic = VNICConfiguration(index: index)
            vnic.isEnabled = true
            vnic.switchport.mode = .trunk
            settings.vnics[index] = vnic
        }
        configuration.vnicPorts[port] = settings
    }
    let sink = CountingSink()
    let pipeline = try! ForwardingPipeline(configuration: configuration, egress: sink, clock: SystemClock())
    let stationPort = { (station: Int) in station % portCount + 1 }
    let stationSVID = { (station: Int) in UInt16(station / portCount % 4 + 1) }
    let stationVLAN = { (station: Int) in vlans[station % vlans.count] }
    let write = { (buffer: UnsafeMutableRawBufferPointer, destination: MACAddress, source: Int) in
        buffer.initializeMemory(as: UInt8.self, repeating: 0)
        destination.store(into: buffer, atOffset: 0)
        stationMAC(source).store(into: buffer, atOffset: 6)
        buffer.storeBytes(of: EtherType.serviceVLAN.bigEndian, toByteOffset: 12, as: UInt16.self)
        buffer.storeBytes(of: stationSVID(source).bigEndian, toByteOffset: 14, as: UInt16.self)
        buffer.storeBytes(of: EtherType.vlan.bigEndian, toByteOffset: 16, as: UInt16.self)
        buffer.storeBytes(of: stationVLAN(source).bigEndian, toByteOffset: 18, as: UInt16.self)
        buffer.storeBytes(of: UInt16(0x0800).bigEndian, toByteOffset: 20, as: UInt16.self)
        buffer[22] = 0x45
    }
    for batch in makeBatches(count: stations, port: stationPort, frame: { station, buffer in
        write(buffer, .broadcast, station)
    }) {
        pipeline.process(batch)
    }
    check(pipeline.macTable.count == stations, "expected \(stations) learned MACs, have \(pipeline.macTable.count)")

    // As in l2_vlan_tagged_64B: to a pseudo-random station of the same VLAN on another port.
    let destinationOf = { (frame: Int) -> (source: Int, destination: Int) in
        let source = frame % stations
        let step = vlans.count * (1 + (frame / stations + frame * 7) % (stations / vlans.count - 1))
        var destination = (source + step) % stations
        if stationPort(destination) == stationPort(source) { destination = (destination + vlans.count) % stations }
        return (source, destination)
    }
    let batches = makeBatches(count: trafficFrames, port: { stationPort(destinationOf($0).source) },
                              frame: { index, buffer in
        let (source, destination) = destinationOf(index)
        write(buffer, stationMAC(destination), source)
    })
    return (pipeline, sink, batches)
}

/// Runs `vnicSwitchModeSetup`'s traffic for `nanoseconds`, checking that every frame
/// went to one vNIC.
func pumpVNICSwitchMode(_ pipeline: ForwardingPipeline, _ sink: CountingSink, _ batches: [FrameBatch],
                        for nanoseconds: UInt64 = runNanoseconds) -> Double {
    sink.frames = 0
    let received = { pipeline.vnicCounters().reduce(0) { $0 + Int($1.rxFrames) } }
    let before = received()
    let mpps = pump(pipeline, batches, for: nanoseconds)
    let delivered = received() - before
    check(sink.frames == delivered && delivered > 0,
          "vNIC known unicast sent \(sink.frames) frames for \(delivered) received (floods or bandwidth drops)")
    return mpps
}
