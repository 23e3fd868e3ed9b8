import SwitchTypes

extension SwitchState {
    /// A port's or vNIC's state as `show interface` shows it and IF-MIB's ifOperStatus
    /// serves it: err-disabled, or up while its frames are taken (a vNIC: vNICs on, the vNIC
    /// enabled and assigned, its port up).
    func interfaceState(_ port: BridgePort) -> String {
        if errDisabled[port.port] != nil { return "err-disabled" }
        guard let index = port.vnic else { return bridge[port: port.port].isEnabled ? "up" : "down" }
        let effective = published ?? bridge
        let up = effective.vnicEnabled && effective.vnicPorts[port.port]?.vnics[index]?.isEnabled == true
            && effective[port: port.port].isEnabled
        return up ? "up" : "down"
    }
}
