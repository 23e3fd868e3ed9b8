import Console
import RunningConfig

/// A feature of the switch (VLANs, interfaces, VM groups, ...): the handlers of its grammar
/// file's actions and the running-config stanzas its settings render as, declared together
/// and registered once, in `VMreadySwitch.features`.
///
/// Both halves are requirements, so a new feature cannot be listed with one and not the
/// other: a feature without settings (show and exec commands only) says so by returning no
/// stanzas. The handler coverage tests catch a feature left out of the list (its actions
/// have no handler).
protocol SwitchFeature: Sendable {
    /// Adds one handler per action of the feature, bound to `sw`.
    static func addHandlers(_ sw: VMreadySwitch, to t: inout HandlerTable)

    /// The feature's part of the running configuration; `RunningConfigRenderer` orders it
    /// by section and key.
    static func stanzas(_ s: SwitchState) -> [ConfigStanza]
}

extension VMreadySwitch {
    /// Every feature, once. Stanzas of the same section and key keep this order in the
    /// running configuration, so a new feature goes after the ones it must follow.
    static let features: [any SwitchFeature.Type] = [
        SystemCommands.self, VLANCommands.self, InterfaceCommands.self, VNICCommands.self, MACTableCommands.self,
        AccessControlCommands.self, LLDPCommands.self, VirtCommands.self, VMProfileCommands.self, VMGroupCommands.self,
        AccessCommands.self, VMManagerCommands.self, PolicyDBCommands.self, EVBCommands.self,
        DCBXCommands.self, SNMPCommands.self,
        // Show and exec commands only: no stanzas.
        BootCommands.self, FlashCommands.self, LoggingCommands.self, VirtShowCommands.self, TerminalCommands.self,
    ]

    /// One handler per grammar action, bound to this switch.
    public var handlers: HandlerTable {
        var t = HandlerTable()
        for feature in Self.features { feature.addHandlers(self, to: &t) }
        return t
    }

    /// The running configuration, as `show running-config` prints it.
    public func runningConfig() -> [String] {
        let stanzas = state.withLock { s in Self.features.flatMap { $0.stanzas(s) } }
        return RunningConfigRenderer.render(version: "vmready " + Self.version, stanzas: stanzas)
    }
}
