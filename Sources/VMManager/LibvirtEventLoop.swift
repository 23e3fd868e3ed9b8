import CLibvirt
import Foundation

/// libvirt's event loop, once per process: keepalive, the close callback and domain events
/// all need it, and it must be registered before the first connection opens. It runs on a
/// thread of its own that only dispatches (the callbacks it runs only hand over, see
/// LibvirtCallbacks.swift), so a slow hypervisor never holds it.
enum LibvirtEventLoop {
    /// Starts the loop the first time; later calls return the first call's outcome.
    static func start() throws(LibvirtError) {
        if let failure = started { throw failure }
    }

    /// Swift runs a static's initializer once, thread-safely: this is the "once".
    private static let started: LibvirtError? = {
        guard virInitialize() == 0 else { return LibvirtError.last("virInitialize") }
        // libvirt prints every error to stderr unless a handler is set; the switch reports
        // them itself (from virGetLastError, right after the failing call).
        virSetErrorFunc(nil, libvirtIgnoreError)
        guard virEventRegisterDefaultImpl() == 0 else { return LibvirtError.last("virEventRegisterDefaultImpl") }
        let thread = Thread {
            while true {
                // Fails only when the implementation is broken; do not spin then.
                if virEventRunDefaultImpl() != 0 { usleep(100_000) }
            }
        }
        thread.name = "libvirt-events"
        thread.start()
        return nil
    }()
}

/// A failed libvirt call: what libvirt said, read on the calling thread right after the call
/// (libvirt keeps the last error per thread).
struct LibvirtError: Error, CustomStringConvertible {
    /// `virErrorNumber`, 0 when libvirt set none.
    let code: Int32
    let description: String

    /// The calling thread's last libvirt error, for the call named `call`.
    static func last(_ call: String) -> LibvirtError {
        let code = virGetLastErrorCode()
        let message = virGetLastErrorMessage().map { String(cString: $0) } ?? "unknown error"
        return LibvirtError(code: code, description: code == 0 ? "\(call) failed" : message)
    }

    /// The domain does not exist (any more).
    var isNoDomain: Bool { code == Int32(VIR_ERR_NO_DOMAIN.rawValue) }
}
