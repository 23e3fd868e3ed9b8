import Console
import Dataplane
import Dispatch
import Foundation
import SwitchTypes
import Synchronization
import Virtualization

/// Takes what the VM table queued on the forwarding thread and acts on it on a serial
/// queue of its own: logs detections, moves and suspicions, err-disables offending
/// ports under `vmcheck action basic link`, and re-publishes when the set of known VMs
/// changed what the groups resolve to. Bursts coalesce: one pass handles every event
/// queued so far.
///
/// Nothing here is on a frame's path: a member named by MAC has its policy installed
/// while pending (`VMPolicyResolution`), so the dataplane applies it to the VM's first
/// frame by itself; what waits for this worker is only what cannot be known before the
/// VM is seen (members by index or IP), and the log.
final class VMEventWorker: Sendable {
    private let queue = DispatchQueue(label: "vmready.vm-events")
    private let scheduled = Atomic<Bool>(false)
    private let owner = Mutex<VMreadySwitchReference?>(nil)

    /// Starts listening to `sw`'s VM table.
    func attach(to sw: VMreadySwitch) {
        owner.withLock { $0 = VMreadySwitchReference(sw) }
        sw.vms.setListener { [weak self] in self?.schedule() }
    }

    /// Called on the forwarding thread: hands off, never waits.
    private func schedule() {
        guard !scheduled.exchange(true, ordering: .acquiringAndReleasing) else { return }
        queue.async { [self] in
            scheduled.store(false, ordering: .releasing)
            guard let sw = owner.withLock({ $0?.value }) else { return }
            Self.handle(sw.vms.takeEvents(), on: sw)
        }
    }

    /// Waits until every event queued so far is handled (tests, `show` after a replay).
    func drain() { queue.sync {} }

    /// `drain()`, skipped when nothing is scheduled (after each replayed frame).
    func drainIfScheduled() {
        if scheduled.load(ordering: .acquiring) { drain() }
    }

    static func handle(_ batch: (events: [VMEvent], dropped: Int), on sw: VMreadySwitch) {
        guard !batch.events.isEmpty || batch.dropped > 0 else { return }
        if batch.dropped > 0 {
            sw.eventLog.log(.warning, "virt", "\(batch.dropped) VM events were not handled (too many at once)")
        }
        var resolve = batch.dropped > 0
        var toDisable: [(port: Int, time: Timestamp)] = []
        for event in batch.events {
            switch event {
            case .detected(let vm):
                sw.eventLog.log(.info, "virt", "VM \(vm.mac) (\(vm.vendor)) detected on port \(vm.port)",
                                at: date(vm.firstSeen))
                resolve = true
            case .moved(let move):
                sw.eventLog.log(.notice, "virt",
                                "VM \(move.mac) moved from port \(move.fromPort) to port \(move.toPort) (\(move.how.label))",
                                at: date(move.time))
            case .addressLearned:
                resolve = true
            case .suspected(let suspicion):
                sw.eventLog.log(.warning, "vmcheck", suspicion.message, at: date(suspicion.move.time))
                toDisable.append((suspicion.offendingPort, suspicion.move.time))
            }
        }
        guard resolve || !toDisable.isEmpty else { return }
        // The same one-step change as a command's: made on a copy, published, kept only if
        // both succeed (during a boot replay the replay's end publishes everything).
        do {
            try sw.configure { (s: inout SwitchState) throws(CommandFailure) in
                for (port, time) in s.errDisableForVMCheck(toDisable) {
                    sw.eventLog.log(.error, "vmcheck", "port \(port) err-disabled (vmcheck action basic link)", at: date(time))
                }
            }
        } catch {
            sw.eventLog.log(.error, "virt", "VM changes not applied: \(error.message.dropFirst(2))")
        }
    }
}

/// Switch time (virtual when replaying captures) as a date for the log.
private func date(_ time: Timestamp) -> Date { Date(timeIntervalSince1970: Double(time.nanoseconds) / 1e9) }

/// The switch owns its worker, so the worker holds it weakly.
private struct VMreadySwitchReference: Sendable {
    weak var value: VMreadySwitch?
    init(_ value: VMreadySwitch) { self.value = value }
}
