import VMManager

/// libvirt's client is the connection the switch drives.
extension VMManagerClient: VMManagerConnection {
    /// Opens real libvirt connections (`SwitchOptions.vmManagerConnector`).
    public static let connector: VMManagerConnector = { host, uri, deliver in
        VMManagerClient(host: host, uri: uri, deliver: deliver)
    }
}
