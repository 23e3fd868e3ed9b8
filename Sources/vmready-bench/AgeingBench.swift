import Dataplane
import Glibc
import SwitchTypes

// dataplane.ageing_stall_max_us: the longest single pause ageing puts in the
// forwarding loop. A table at `mac-address-table limit 1048576` holds about a
// million stations last seen over one ageing period; forwarding goes on (a
// virtual clock moving 10 ms per batch) until all but the active stations have
// aged out. The figure is the longest `refreshTime()` — where the pipeline
// does its ageing — so the batches' own forwarding time is not in it.

private let ageingEntries = 1_000_000
private let ageingSeconds = 300
private let activeStations = 4096
private let stepNanoseconds: Int64 = 10_000_000

/// Worst single ageing step, in microseconds.
func benchmarkAgeingStall() -> Double {
    let portCount = 8
    var configuration = try! BridgeConfiguration(portCount: portCount)
    configuration.macLimit = BridgeConfiguration.macLimitRange.upperBound
    configuration.macAgeingSeconds = ageingSeconds
    let start = Timestamp(seconds: 1_000_000)
    let clock = VirtualClock(start: start)
    let sink = CountingSink()
    let pipeline = try! ForwardingPipeline(configuration: configuration, egress: sink, clock: clock)
    let table = pipeline.macTable
    // Last seen spread evenly over the ageing period, so some expire every second.
    for index in 0..<ageingEntries {
        let seen = Timestamp(seconds: start.seconds + Int64(index % ageingSeconds))
        table.learn(stationMAC(index), vlan: 1, port: index % portCount + 1, at: seen)
    }
    check(table.count == ageingEntries, "expected \(ageingEntries) MAC entries, have \(table.count)")

    // Known unicast among the active stations keeps them fresh while the rest age.
    let stationPort = { (station: Int) in station % portCount + 1 }
    let batches = makeBatches(count: trafficFrames, port: { stationPort($0 % activeStations) },
                              frame: { index, buffer in
        let source = index % activeStations
        let destination = (source + 1 + index / activeStations % 7) % activeStations
        writeFrame(into: buffer, destination: stationMAC(destination), source: stationMAC(source), vlan: nil)
    })

    var time = Timestamp(seconds: start.seconds + Int64(ageingSeconds)).nanoseconds
    let end = time + Int64(ageingSeconds + 5) * 1_000_000_000
    var worst: UInt64 = 0
    var next = 0
    while time < end {
        clock.set(Timestamp(nanoseconds: time))
        let before = monotonicNanoseconds()
        pipeline.refreshTime()
        worst = max(worst, monotonicNanoseconds() - before)
        pipeline.process(batches[next])
        next = (next + 1) % batches.count
        time += stepNanoseconds
    }
    check(table.count <= activeStations, "ageing left \(table.count) MAC entries, expected at most \(activeStations)")
    return Double(worst) / 1000
}
