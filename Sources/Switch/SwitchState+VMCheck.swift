import Dataplane
import SwitchTypes

extension SwitchState {
    /// `vmcheck action basic link`: shuts the ports a spoofing suspicion names, except
    /// trusted ports and ports already err-disabled; under any other action, none.
    /// - Returns: the offenders whose port this shut, in order, each port once.
    mutating func errDisableForVMCheck(_ offenders: [(port: Int, time: Timestamp)]) -> [(port: Int, time: Timestamp)] {
        guard virt.vmcheck.basicAction == .link else { return [] }
        var shut: [(port: Int, time: Timestamp)] = []
        for offender in offenders where errDisabled[offender.port] == nil
            && !virt.vmcheck.trustedPorts.contains(offender.port) {
            errDisabled[offender.port] = "vmcheck"
            shut.append(offender)
        }
        return shut
    }
}
