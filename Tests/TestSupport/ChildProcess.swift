import Foundation

/// Starting child processes from a Swift Testing runner, with `posix_spawn`, an empty signal
/// mask and default handlers, never with Foundation's `Process`:
/// - the runner's threads block some signals and children inherit that mask, so a child
///   started by `Process` may ignore SIGTERM/SIGHUP (a tmux server then survives `kill-server`);
/// - `Process.run` (swift-corelibs-foundation) lists /proc/self/fd and copies each entry's
///   whole 256-byte `d_name`, reading past the end of glibc's directory buffer when the
///   listing nearly fills it (about 1,350 open descriptors): ASan reports it, and the test
///   runner died of it with SIGSEGV in memmove when descriptors had leaked.
public enum ChildProcess {
    /// What `run` gives back.
    public struct Result: Sendable {
        /// The exit status (128 + the signal for a child killed by one).
        public var status: Int32
        public var stdout: String
        public var stderr: String
    }

    /// Runs `executable` to completion: `stdin` (if any) as its standard input, its output
    /// through files (a child never blocks on a full pipe, and no pipe can leak).
    public static func run(_ executable: String, _ arguments: [String], stdin: Data? = nil,
                           environment: [String: String]? = nil) throws(SpawnError) -> Result {
        let base = FileManager.default.temporaryDirectory.appending(path: "vmready-child-\(UUID().uuidString)").path
        let inPath = base + ".in", outPath = base + ".out", errPath = base + ".err"
        defer { for path in [inPath, outPath, errPath] { unlink(path) } }
        var input: Int32 = -1
        if let stdin {
            guard FileManager.default.createFile(atPath: inPath, contents: stdin) else {
                throw SpawnError(description: "cannot write \(inPath)")
            }
            input = open(inPath, O_RDONLY | O_CLOEXEC)
            guard input >= 0 else { throw SpawnError(description: "cannot open \(inPath)") }
        }
        defer { if input >= 0 { close(input) } }
        let pid = try spawn(executable, arguments, stdinFD: input >= 0 ? input : nil, stdoutPath: outPath,
                            stderrPath: errPath, environment: environment)
        var wait: Int32 = 0
        while waitpid(pid, &wait, 0) < 0 && errno == EINTR {}
        // WIFEXITED / WEXITSTATUS / WTERMSIG, which Swift does not import.
        let status = wait & 0x7f == 0 ? (wait >> 8) & 0xff : 128 + (wait & 0x7f)
        let read = { (path: String) in
            String(decoding: FileManager.default.contents(atPath: path) ?? Data(), as: UTF8.self)
        }
        return Result(status: status, stdout: read(outPath), stderr: read(errPath))
    }

    public struct SpawnError: Error, CustomStringConvertible {
        public let description: String
    }

    /// Starts `executable` with `arguments`; stdin from `stdinFD` (else /dev/null), stdout and
    /// stderr to the given files; `environment` (else the runner's). Returns the child's pid.
    public static func spawn(_ executable: String, _ arguments: [String], stdinFD: Int32? = nil,
                             stdoutPath: String, stderrPath: String,
                             environment: [String: String]? = nil) throws(SpawnError) -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        if let stdinFD {
            posix_spawn_file_actions_adddup2(&actions, stdinFD, 0)
        } else {
            posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        }
        posix_spawn_file_actions_addopen(&actions, 1, stdoutPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, stderrPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t(), allSignals = sigset_t()
        sigemptyset(&noSignals)
        sigfillset(&allSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        posix_spawnattr_setsigdefault(&attributes, &allSignals)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        let env = environment ?? ProcessInfo.processInfo.environment
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
        guard spawned == 0 else {
            throw SpawnError(description: "cannot start \(executable): \(String(cString: strerror(spawned)))")
        }
        return pid
    }
}
