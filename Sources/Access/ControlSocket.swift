import Foundation
import Glibc

/// Why the control socket could not be set up or reached; one line for the operator.
public struct ControlSocketError: Error, Sendable, CustomStringConvertible {
    public let description: String
}

/// The switch's end of its control socket, `STATE/vmready.sock`, where `vmready connect`
/// hands over terminals. Holding it also means owning the state directory: a lock on
/// `STATE/vmready.lock`, taken first and released by the kernel when the process ends, tells
/// a live switch (refused) from a socket a killed one left behind (replaced).
public final class ControlSocket: Sendable {
    public static let socketName = "vmready.sock"
    static let lockName = "vmready.lock"
    /// The group whose members may connect, when it exists (socket mode 0660).
    public static let operatorGroup = "vmready"

    public let path: String
    let listenFD: Int32
    private let lockFD: Int32

    public static func path(stateDirectory: String) -> String { stateDirectory + "/" + socketName }

    public init(stateDirectory: String) throws(ControlSocketError) {
        path = Self.path(stateDirectory: stateDirectory)
        let lockPath = stateDirectory + "/" + Self.lockName
        lockFD = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard lockFD >= 0 else { throw ControlSocketError(description: "cannot open \(lockPath): \(Self.errorText())") }
        guard flock(lockFD, LOCK_EX | LOCK_NB) == 0 else {
            Glibc.close(lockFD)
            throw ControlSocketError(description:
                "another switch is running on \(stateDirectory) (its control socket is \(path)); "
                + "stop it, or use another --state-dir")
        }
        // We hold the lock, so a socket file here is a killed switch's: replace it.
        unlink(path)
        listenFD = socket(AF_UNIX, Int32(SOCK_SEQPACKET.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard listenFD >= 0 else {
            Glibc.close(lockFD)
            throw ControlSocketError(description: "cannot create the control socket: \(Self.errorText())")
        }
        do {
            let bound = try UnixSocketAddress.with(path) { bind(listenFD, $0, $1) }
            guard bound == 0, listen(listenFD, 64) == 0 else {
                throw ControlSocketError(description: "cannot create the control socket \(path): \(Self.errorText())")
            }
        } catch let error as ControlSocketError {
            Glibc.close(listenFD)
            Glibc.close(lockFD)
            throw error
        } catch {
            Glibc.close(listenFD)
            Glibc.close(lockFD)
            throw ControlSocketError(description: "cannot create the control socket \(path): path too long")
        }
        // Operators reach the switch through the group, never through world permissions.
        chmod(path, 0o660)
        if let gid = Self.groupID(Self.operatorGroup) { _ = chown(path, uid_t.max, gid) }
    }

    /// Stops accepting, removes the socket file and gives up the state directory.
    public func close() {
        shutdown(listenFD, Int32(SHUT_RDWR))
        Glibc.close(listenFD)
        unlink(path)
        Glibc.close(lockFD)
    }

    static func groupID(_ name: String) -> gid_t? {
        var group = group()
        var result: UnsafeMutablePointer<group>?
        var buffer = [CChar](repeating: 0, count: 16384)
        guard getgrnam_r(name, &group, &buffer, buffer.count, &result) == 0, result != nil else { return nil }
        return group.gr_gid
    }

    static func errorText() -> String { String(cString: strerror(errno)) }
}
