import Console
import Flash
import Foundation
import Switch

/// Configuration figures: rendering and saving a 10,000-line configuration, and the time
/// the binary takes from start to its first command with a 10,000-line and an empty
/// startup-config.
func runConfigBenchmarks() throws {
    let sw = try VMreadySwitch(portCount: 48)
    let shell = try sw.shell(kind: .batch)
    _ = shell.run("configure terminal")
    var vid = 2
    while sw.runningConfig().count < 10_000 && vid < 4094 {
        for line in ["vlan \(vid)", "name \"v\(vid)\"", "exit"] { _ = shell.run(line) }
        _ = shell.run("mac-address-table static 02:00:00:00:\(String(format: "%02x:%02x", vid >> 8, vid & 0xff)) vlan \(vid) port \(1 + vid % 48)")
        vid += 1
    }
    let config = sw.runningConfig()

    var best = Double.infinity
    for _ in 0..<5 {
        let t0 = now()
        _ = sw.runningConfig()
        best = min(best, Double(now() - t0) / 1e6)
    }
    report("config.render_10k_lines_ms", best, "ms")

    let dir = FileManager.default.temporaryDirectory.appending(path: "vmready-bench-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: dir) }
    let (flash, _) = try FlashStore.open(directory: dir.path)
    let text = config.joined(separator: "\n") + "\n"
    var saves: [Double] = []
    for _ in 0..<10 {
        let t0 = now()
        try flash.save(text, by: "bench", comment: nil)
        saves.append(Double(now() - t0) / 1e6)
    }
    report("config.save_ms", saves.sorted()[saves.count / 2], "ms")

    // From exec to the first command's answer, through the real binary (an upper bound on
    // "to prompt": it includes exiting).
    let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appending(path: "vmready")
    guard FileManager.default.isExecutableFile(atPath: binary.path) else {
        FileHandle.standardError.write(Data("boot.to_prompt_ms skipped: build the vmready product first\n".utf8))
        return
    }
    let startup = dir.appending(path: "startup.cfg"), empty = dir.appending(path: "empty.cfg")
    try text.write(to: startup, atomically: true, encoding: .utf8)
    try "".write(to: empty, atomically: true, encoding: .utf8)
    for (name, file) in [("boot.to_prompt_ms", startup), ("boot.to_prompt_empty_ms", empty)] {
        var runs: [Double] = []
        for _ in 0..<5 {
            let p = Process()
            p.executableURL = binary
            p.arguments = ["--state-dir", dir.appending(path: "state").path, "--ports", "48",
                           "--startup-config", file.path, "-c", "show boot-log | count"]
            p.standardOutput = FileHandle.nullDevice
            let t0 = now()
            try p.run()
            p.waitUntilExit()
            runs.append(Double(now() - t0) / 1e6)
        }
        report(name, runs.sorted()[runs.count / 2], "ms")
    }
}
