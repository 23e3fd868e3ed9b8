import CLibvirt
#if canImport(Glibc)
import Glibc
#endif

/// One open `virConnectPtr` with its keepalive, close callback and lifecycle callback. Used
/// only on its client's thread: every call here may block on the hypervisor.
final class LibvirtConnection {
    private var pointer: virConnectPtr?
    private var lifecycleCallbackID: Int32 = -1
    private var closeCallbackRegistered = false

    /// Opens `uri` and registers the callbacks, which post to `context`'s mailbox.
    init(uri: String, retry: VMManagerRetry, context: CallbackContext) throws(LibvirtError) {
        guard let pointer = virConnectOpen(uri) else { throw LibvirtError.last("virConnectOpen") }
        self.pointer = pointer
        do throws(LibvirtError) {
            // 1 means the peer cannot do keepalive: the connection works, a hung peer is
            // then only noticed when a call fails.
            if virConnectSetKeepAlive(pointer, Int32(clamping: retry.keepaliveInterval),
                                      UInt32(clamping: retry.keepaliveCount)) < 0 {
                throw LibvirtError.last("virConnectSetKeepAlive")
            }
            guard virConnectRegisterCloseCallback(pointer, libvirtConnectionClosed, context.retainedPointer(),
                                                  libvirtReleaseContext) == 0 else {
                // libvirt did not keep the context: release the retain taken for it.
                let error = LibvirtError.last("virConnectRegisterCloseCallback")
                Unmanaged.passUnretained(context).release()
                throw error
            }
            closeCallbackRegistered = true
            let callback = unsafeBitCast(libvirtLifecycleEvent as virConnectDomainEventCallback,
                                         to: virConnectDomainEventGenericCallback.self)
            let id = virConnectDomainEventRegisterAny(pointer, nil, Int32(VIR_DOMAIN_EVENT_ID_LIFECYCLE.rawValue),
                                                      callback, context.retainedPointer(), libvirtReleaseContext)
            guard id >= 0 else {
                let error = LibvirtError.last("virConnectDomainEventRegisterAny")
                Unmanaged.passUnretained(context).release()
                throw error
            }
            lifecycleCallbackID = id
        } catch {
            close()
            throw error
        }
    }

    deinit { close() }

    /// Deregisters the callbacks and closes; safe to repeat. On a dead connection the
    /// deregistrations fail, which is fine: libvirt frees the contexts with the connection.
    func close() {
        guard let pointer else { return }
        self.pointer = nil
        if lifecycleCallbackID >= 0 { _ = virConnectDomainEventDeregisterAny(pointer, lifecycleCallbackID) }
        if closeCallbackRegistered { _ = virConnectUnregisterCloseCallback(pointer, libvirtConnectionClosed) }
        _ = virConnectClose(pointer)
    }

    /// The connection still works (keepalive has not given up on it).
    var isAlive: Bool { pointer.map { virConnectIsAlive($0) == 1 } ?? false }

    func hostname() throws(LibvirtError) -> String {
        guard let text = virConnectGetHostname(try open()) else { throw LibvirtError.last("virConnectGetHostname") }
        defer { free(text) }
        return String(cString: text)
    }

    /// Every domain, active and inactive.
    func allDomains() throws(LibvirtError) -> [LibvirtDomain] {
        var list: UnsafeMutablePointer<virDomainPtr?>?
        let count = virConnectListAllDomains(try open(), &list, 0)
        guard count >= 0, let list else { throw LibvirtError.last("virConnectListAllDomains") }
        defer { free(list) }
        return (0..<Int(count)).compactMap { list[$0].map(LibvirtDomain.init) }
    }

    func domain(uuid: String) throws(LibvirtError) -> LibvirtDomain {
        guard let domain = virDomainLookupByUUIDString(try open(), uuid) else {
            throw LibvirtError.last("virDomainLookupByUUIDString")
        }
        return LibvirtDomain(domain)
    }

    private func open() throws(LibvirtError) -> virConnectPtr {
        guard let pointer else { throw LibvirtError(code: 0, description: "connection closed") }
        return pointer
    }
}

/// A `virDomainPtr` the wrapper owns (freed with it).
final class LibvirtDomain {
    private let pointer: virDomainPtr

    init(_ pointer: virDomainPtr) { self.pointer = pointer }

    deinit { virDomainFree(pointer) }

    /// Local: the object carries them.
    var uuid: String {
        var buffer = [CChar](repeating: 0, count: Int(VIR_UUID_STRING_BUFLEN))
        guard virDomainGetUUIDString(pointer, &buffer) == 0 else { return "" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    var name: String { virDomainGetName(pointer).map { String(cString: $0) } ?? "" }

    func state() throws(LibvirtError) -> DomainState {
        var state: Int32 = 0
        var reason: Int32 = 0
        guard virDomainGetState(pointer, &state, &reason, 0) == 0 else { throw LibvirtError.last("virDomainGetState") }
        return DomainState(libvirt: state)
    }

    func xml() throws(LibvirtError) -> String {
        guard let text = virDomainGetXMLDesc(pointer, 0) else { throw LibvirtError.last("virDomainGetXMLDesc") }
        defer { free(text) }
        return String(cString: text)
    }

    /// Writes (or with nil removes) the switch's metadata element on the running domain and
    /// on its persistent definition: the running copy is what `virsh metadata` shows now, the
    /// definition what survives a restart. A transient domain has no definition and an
    /// inactive one no running copy; libvirt refuses a flag for what is missing.
    func setMetadata(_ metadata: String?, key: String, namespace: String) throws(LibvirtError) {
        var flags: UInt32 = 0
        let active = virDomainIsActive(pointer)
        let persistent = virDomainIsPersistent(pointer)
        guard active >= 0 else { throw LibvirtError.last("virDomainIsActive") }
        guard persistent >= 0 else { throw LibvirtError.last("virDomainIsPersistent") }
        if active == 1 { flags |= VIR_DOMAIN_AFFECT_LIVE.rawValue }
        if persistent == 1 { flags |= VIR_DOMAIN_AFFECT_CONFIG.rawValue }
        guard virDomainSetMetadata(pointer, Int32(VIR_DOMAIN_METADATA_ELEMENT.rawValue), metadata, key, namespace,
                                   flags) == 0 else {
            throw LibvirtError.last("virDomainSetMetadata")
        }
    }
}

extension DomainState {
    /// From `virDomainState`; values libvirt may add later read as `noState`.
    init(libvirt state: Int32) {
        switch UInt32(bitPattern: state) {
        case VIR_DOMAIN_RUNNING.rawValue: self = .running
        case VIR_DOMAIN_BLOCKED.rawValue: self = .blocked
        case VIR_DOMAIN_PAUSED.rawValue: self = .paused
        case VIR_DOMAIN_SHUTDOWN.rawValue: self = .shuttingDown
        case VIR_DOMAIN_SHUTOFF.rawValue: self = .shutOff
        case VIR_DOMAIN_CRASHED.rawValue: self = .crashed
        case VIR_DOMAIN_PMSUSPENDED.rawValue: self = .suspended
        default: self = .noState
        }
    }
}
