import CLibvirt

// libvirt's C callbacks. They run on libvirt's event-loop thread, so they are plain global
// functions (a closure written in main-actor code would carry the main actor's isolation
// and trap there), and they only copy what they need out of libvirt's objects and post it
// to the client's mailbox: no libvirt call that talks to the hypervisor, no waiting.

/// What a callback's `opaque` pointer holds: the mailbox and the connection it is for.
final class CallbackContext: Sendable {
    let mailbox: ClientMailbox
    let generation: Int

    init(mailbox: ClientMailbox, generation: Int) {
        self.mailbox = mailbox
        self.generation = generation
    }

    /// Retained for libvirt, released by `libvirtReleaseContext` when libvirt drops it.
    func retainedPointer() -> UnsafeMutableRawPointer { Unmanaged.passRetained(self).toOpaque() }

    static func from(_ opaque: UnsafeMutableRawPointer?) -> CallbackContext? {
        opaque.map { Unmanaged<CallbackContext>.fromOpaque($0).takeUnretainedValue() }
    }
}

/// `virConnectDomainEventCallback`: registered through `virConnectDomainEventRegisterAny`
/// cast to the generic type (the VIR_DOMAIN_EVENT_CALLBACK macro is not imported).
func libvirtLifecycleEvent(_ connection: virConnectPtr?, _ domain: virDomainPtr?, _ event: Int32,
                           _ detail: Int32, _ opaque: UnsafeMutableRawPointer?) -> Int32 {
    guard let context = CallbackContext.from(opaque), let domain else { return 0 }
    // Both read the local domain object: no round trip to the hypervisor.
    var buffer = [CChar](repeating: 0, count: Int(VIR_UUID_STRING_BUFLEN))
    guard virDomainGetUUIDString(domain, &buffer) == 0 else { return 0 }
    let uuid = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    let name = virDomainGetName(domain).map { String(cString: $0) } ?? ""
    context.mailbox.post(.lifecycle(generation: context.generation, uuid: uuid, name: name, event: event, detail: detail))
    return 0
}

/// `virConnectCloseFunc`: the connection went away (EOF, keepalive timeout, error).
func libvirtConnectionClosed(_ connection: virConnectPtr?, _ reason: Int32, _ opaque: UnsafeMutableRawPointer?) {
    guard let context = CallbackContext.from(opaque) else { return }
    context.mailbox.post(.closed(generation: context.generation, reason: reason))
}

/// `virFreeCallback` for both registrations.
func libvirtReleaseContext(_ opaque: UnsafeMutableRawPointer?) {
    guard let opaque else { return }
    Unmanaged<CallbackContext>.fromOpaque(opaque).release()
}

/// `virErrorFunc`: keeps libvirt from printing errors to stderr (they are read per call).
func libvirtIgnoreError(_ userData: UnsafeMutableRawPointer?, _ error: virErrorPtr?) {}
