import Console
import Dataplane
import Dispatch
import Foundation
import Frames
import SwitchTypes
import Synchronization
import Virtualization

/// Drains the learning feed on a serial queue of its own and acts on what the VM table
/// noticed: logs detections, moves, suspicions and refusals, and err-disables offending
/// ports under `vmcheck action basic link`. Bursts coalesce: one pass takes everything
/// queued so far. Policy changes do not wait for it: the VM table hands them to the
/// dataplane as it decides them.
final class VMEventWorker: Sendable {
    private let queue = DispatchQueue(label: "vmready.vm-events")
    private let scheduled = Atomic<Bool>(false)
    private let owner = Mutex<VMreadySwitchReference?>(nil)

    /// Starts handling `sw`'s learning feed.
    func attach(to sw: VMreadySwitch) {
        owner.withLock { $0 = VMreadySwitchReference(sw) }
    }

    /// Called on the forwarding thread after a push: hands off, never waits.
    func schedule() {
        guard !scheduled.exchange(true, ordering: .acquiringAndReleasing) else { return }
        queue.async { [self] in
            scheduled.store(false, ordering: .releasing)
            guard let sw = owner.withLock({ $0?.value }) else { return }
            Self.drain(sw)
        }
    }

    /// Waits until every event queued so far is handled (tests, `show` after a replay).
    func drain() { queue.sync {} }

    /// Drains the feed on the calling thread (the replaying thread, between two frames).
    static func drain(_ sw: VMreadySwitch) {
        sw.learning.drain { batch in handle(batch, on: sw) }
    }

    static func handle(_ batch: VMBatch, on sw: VMreadySwitch) {
        var toDisable: [(port: Int, time: Timestamp)] = []
        var seen: [MACAddress] = []
        for event in batch.events {
            switch event {
            case .detected(let vm):
                seen.append(vm.mac)
                sw.eventLog.log(.info, "virt", "VM \(vm.mac) (\(vm.vendor)) detected on port \(vm.bridgePort)",
                                at: date(vm.firstSeen), mac: vm.mac, port: vm.bridgePort.description)
            case .moved(let move):
                seen.append(move.mac)
                sw.eventLog.log(.notice, "virt",
                                "VM \(move.mac) moved from port \(move.from) to port \(move.to) (\(move.how.label))",
                                at: date(move.time), mac: move.mac, port: move.to.description)
            case .addressLearned:
                break
            case .suspected(let suspicion):
                sw.eventLog.log(.warning, "vmcheck", suspicion.message, at: date(suspicion.move.time),
                                mac: suspicion.move.mac, port: suspicion.move.to.description)
                toDisable.append((suspicion.offendingPort, suspicion.move.time))
            }
        }
        if !batch.changes.newConflicts.isEmpty {
            // Stamped with the switch clock, as the detections that cause them are.
            let now = date(sw.dataplane.clock.now())
            for conflict in batch.changes.newConflicts { sw.eventLog.log(.warning, "virt", conflict.message, at: now) }
        }
        // A spray of VM MACs past the limit is one line per interval, not one per MAC.
        for refused in batch.refused {
            sw.repeatedEvents.log(.warning, "virt", kind: "VM table full",
                                  "new VM \(refused.mac) on port \(refused.port) refused: the VM table is full (virt vm limit \(sw.vms.limit))",
                                  at: date(refused.time))
        }
        sw.vmManager.vmsChanged(seen)
        sw.policyDB.vmsChanged(seen)
        guard !toDisable.isEmpty else { return }
        // The same one-step change as a command's: made on a copy, published, kept only if
        // both succeed (during a boot replay the replay's end publishes everything).
        do {
            try sw.configure { (s: inout SwitchState) throws(CommandFailure) in
                for (port, time) in s.errDisableForVMCheck(toDisable) {
                    sw.eventLog.log(.error, "vmcheck", "port \(port) err-disabled (vmcheck action basic link)", at: date(time),
                                    port: String(port))
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
struct VMreadySwitchReference: Sendable {
    weak var value: VMreadySwitch?
    init(_ value: VMreadySwitch) { self.value = value }
}
