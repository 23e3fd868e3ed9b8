#if os(Linux)
import Glibc

/// Entering a lab namespace from a thread of the test process, for the sockets the test
/// opens there itself (raw frames, a TAP, a packet socket): setns changes the calling
/// thread only, so callers run this on a thread of their own.
enum NetworkNamespace {
    private static let cloneNewNet: Int32 = 0x4000_0000

    /// Moves the calling thread into `/run/netns/NAME`.
    static func enter(_ namespace: String) throws {
        // setns is a GNU extension the Glibc module does not import.
        typealias SetNS = @convention(c) (Int32, Int32) -> Int32
        guard let symbol = dlsym(dlopen(nil, RTLD_NOW), "setns") else { throw LabFailure(description: "no setns in libc") }
        let setns = unsafeBitCast(symbol, to: SetNS.self)
        let nsFD = Glibc.open("/run/netns/\(namespace)", O_RDONLY | O_CLOEXEC)
        guard nsFD >= 0 else { throw LabFailure(description: "open /run/netns/\(namespace): \(String(cString: strerror(errno)))") }
        defer { close(nsFD) }
        guard setns(nsFD, cloneNewNet) == 0 else { throw LabFailure(description: "setns: \(String(cString: strerror(errno)))") }
    }
}
#endif
