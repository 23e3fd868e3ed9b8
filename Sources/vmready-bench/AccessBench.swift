import Access
import CLineShim
import Foundation
import Glibc
import Switch

/// access.session_start_ms: from exec of `vmready connect` on a terminal to the session's
/// prompt on that terminal, against a switch served in this process (the median of 20).
/// Needs the `vmready` binary built next to this one.
func runAccessBenchmarks() throws {
    let binary = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        .deletingLastPathComponent().appendingPathComponent("vmready").path
    guard FileManager.default.isExecutableFile(atPath: binary) else {
        print("access.session_start_ms skipped: no vmready binary at \(binary) (swift build -c release --product vmready)")
        return
    }
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("vmready-bench-\(getpid())").path
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let sw = try VMreadySwitch(portCount: 8)
    let server = AccessServer(switch: sw, socket: try ControlSocket(stateDirectory: dir))
    server.start()
    defer { server.stop() }

    var samples: [Double] = []
    for _ in 0..<20 {
        var controller: Int32 = -1, device: Int32 = -1
        guard vmr_open_pty(&controller, &device) == 0 else {
            print("access.session_start_ms skipped: no pseudo-terminal")
            return
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        for fd in Int32(0)...2 { posix_spawn_file_actions_adddup2(&actions, device, fd) }
        let argv: [UnsafeMutablePointer<CChar>?] = [strdup(binary), strdup("connect"), strdup("--state-dir"), strdup(dir), nil]
        let envp: [UnsafeMutablePointer<CChar>?] = [strdup("TERM=vt100"), nil]
        var pid: pid_t = 0
        let start = now()
        let spawned = posix_spawn(&pid, binary, &actions, nil, argv, envp)
        posix_spawn_file_actions_destroy(&actions)
        (argv + envp).forEach { free($0) }
        guard spawned == 0 else { break }
        var seen: [UInt8] = []
        let deadline = Date().addingTimeInterval(10)
        while !seen.suffix(8).elementsEqual(Array("vmready>".utf8)) && Date() < deadline {
            var pfd = pollfd(fd: controller, events: Int16(POLLIN), revents: 0)
            guard poll(&pfd, 1, 100) > 0 else { continue }
            var buffer = [UInt8](repeating: 0, count: 256)
            let n = read(controller, &buffer, buffer.count)
            if n > 0 { seen += buffer[0..<n] }
        }
        let elapsed = Double(now() - start) / 1e6
        if seen.suffix(8).elementsEqual(Array("vmready>".utf8)) { samples.append(elapsed) }
        _ = write(controller, "exit\r", 5)
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        close(device)
        close(controller)
    }
    guard !samples.isEmpty else {
        print("access.session_start_ms failed: no prompt")
        return
    }
    samples.sort()
    report("access.session_start_ms", samples[samples.count / 2], "ms")
}
