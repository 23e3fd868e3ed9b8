import Testing
@testable import VMManager

/// The hand-over between libvirt's callbacks, the switch and a client's thread.
@Suite struct ClientMailboxTests {
    @Test func metadataIsCoalescedToTheLatestPerDomainInTheOrderFirstAsked() {
        let mailbox = ClientMailbox()
        mailbox.publish(uuid: "a", metadata: "<p n='1'/>")
        mailbox.publish(uuid: "b", metadata: "<p n='2'/>")
        mailbox.publish(uuid: "a", metadata: nil)
        let batch = mailbox.take(until: nil)
        #expect(batch.publications.map(\.uuid) == ["a", "b"])
        #expect(batch.publications.map(\.metadata) == [nil, "<p n='2'/>"])
        #expect(mailbox.take(until: Monotonic.now).isEmpty)
    }

    @Test func eventsPastTheBoundAreDroppedForAFullReRead() {
        let mailbox = ClientMailbox()
        for index in 0..<(ClientMailbox.maximumQueued + 5) {
            mailbox.post(.lifecycle(generation: 1, uuid: "u\(index)", name: "n", event: 2, detail: 0))
        }
        // Closing and stopping are never dropped.
        mailbox.post(.closed(generation: 1, reason: 1))
        let batch = mailbox.take(until: nil)
        #expect(batch.resync)
        #expect(batch.messages.count == ClientMailbox.maximumQueued + 1)
        guard case .closed? = batch.messages.last else {
            Issue.record("the close was dropped")
            return
        }
        #expect(!mailbox.take(until: Monotonic.now - 1).resync)
    }

    @Test func aPastDeadlineReturnsAtOnceEmpty() {
        #expect(ClientMailbox().take(until: Monotonic.now - 1).isEmpty)
    }
}

@Suite struct VMManagerRetryTests {
    @Test func backoffDoublesUpToTheMaximum() {
        let standard = VMManagerRetry.standard
        #expect((1...8).map { standard.delay(afterFailures: $0) } == [1, 2, 4, 8, 16, 30, 30, 30])
        #expect(standard.delay(afterFailures: Int.max) == 30)
        #expect(standard.silentPeerBound == 9)
        let odd = VMManagerRetry(initialSeconds: 0, maximumSeconds: -3, keepaliveInterval: 0, keepaliveCount: 0)
        #expect(odd == VMManagerRetry(initialSeconds: 1, maximumSeconds: 1, keepaliveInterval: 1, keepaliveCount: 1))
    }

    @Test func libvirtEventTypesAndDetails() {
        #expect(DomainLifecycle(libvirtEvent: 2, detail: 2) == .started(.restored))
        #expect(DomainLifecycle(libvirtEvent: 5, detail: 4) == .stopped(.saved))
        #expect(DomainLifecycle(libvirtEvent: 5, detail: 99) == .stopped(.other))
        #expect(DomainLifecycle(libvirtEvent: 1, detail: 0) == .other(1))
        #expect(DomainLifecycle(libvirtEvent: 42, detail: 0) == .other(42))
        #expect(DomainState(libvirt: 1) == .running && DomainState(libvirt: 5) == .shutOff && DomainState(libvirt: -1) == .noState)
    }
}
