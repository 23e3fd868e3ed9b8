import CommandEngine
import Console
import Glibc
import Switch

// Prints one `NAME VALUE UNIT` line per figure. Run with `swift run -c release vmready-bench`;
// arguments select figures by name prefix (`vmready-bench dataplane vm.`), none = all.

func now() -> UInt64 {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
}

/// True when the command line selects figure `name` (no argument selects every figure).
func selected(_ name: String) -> Bool {
    let prefixes = CommandLine.arguments.dropFirst()
    return prefixes.isEmpty || prefixes.contains { name.hasPrefix($0) }
}

func report(_ name: String, _ value: Double, _ unit: String) {
    print("\(name) \((value * 100).rounded() / 100) \(unit)")
}

let sw = try VMreadySwitch(portCount: 48)
let engine = sw.engine
let samples = engine.samples()

// cli.parse_line_ns: mean time to parse one grammar line, over every form of every command.
if selected("cli.parse_line_ns") {
    var sink = 0
    let rounds = 200
    let start = now()
    for _ in 0..<rounds {
        for s in samples {
            if case .command(let c) = engine.parse(s.line, in: s.mode) { sink &+= c.keywords.count }
        }
    }
    let ns = Double(now() - start) / Double(rounds * samples.count)
    report("cli.parse_line_ns", ns, "ns")
    if sink == 42 { print("") } // keeps the work observable
}

// cli.complete_p99_us: TAB at every character position of every command form.
if selected("cli.complete_p99_us") {
    var durations: [UInt64] = []
    for s in samples {
        let chars = Array(s.line)
        for end in 0...chars.count {
            let prefix = String(chars[0..<end])
            let t0 = now()
            _ = engine.complete(prefix, in: s.mode) { slot in sw.completionValues(for: slot) }
            durations.append(now() - t0)
        }
    }
    durations.sort()
    let p99 = durations[min(durations.count - 1, durations.count * 99 / 100)]
    report("cli.complete_p99_us", Double(p99) / 1000, "us")
}

// cli.batch_10k_lines_ms: 10,000 configuration lines through a batch session.
if selected("cli.batch_10k_lines_ms") {
    var lines = ["configure terminal"]
    var i = 0
    while lines.count < 10_000 {
        let vid = 2 + i % 4000
        lines += ["vlan \(vid)", "name \"v\(vid)\"", "exit",
                  "interface port \(1 + i % 48)", "description \"uplink \(i)\"", "no shutdown", "exit"]
        i += 1
    }
    lines = Array(lines.prefix(10_000))
    let devnull = open("/dev/null", O_WRONLY)
    let batch = BatchSession(shell: try sw.shell(kind: .batch), options: BatchOptions(),
                             stdout: FileDescriptorOutput(fd: devnull), stderr: FileDescriptorOutput(fd: devnull))
    let start = now()
    let status = batch.run(lines: lines)
    let ms = Double(now() - start) / 1e6
    if status != 0 { print("cli.batch_10k_lines_ms failed: \(batch.failures) lines rejected") }
    report("cli.batch_10k_lines_ms", ms, "ms")
}
if selected("config.") { try runConfigBenchmarks() }
if selected("cli.show_virt_vm_4096_ms") { try runVirtBenchmarks() }
if selected("vm.") { try runVMScaleBenchmarks() }
if selected("access.") { try runAccessBenchmarks() }
if selected("vmm.") { try runVMManagerBenchmarks() }
if selected("policydb.") { try runPolicyDBBenchmarks() }
if selected("vdp.") { try runVDPBenchmarks() }
runDataplaneBenchmarks()
runStationBenchmarks()
try runLLDPBenchmarks()
