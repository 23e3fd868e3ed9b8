import VMManager

/// One hypervisor connection as the switch drives it: `VMManagerClient` in the switch, or
/// whatever `SwitchOptions.vmManagerConnector` makes (nil: the switch opens none, and a
/// test hands the service its reports itself).
public protocol VMManagerConnection: Sendable {
    /// Connects on its own thread; returns at once.
    func start()
    /// Closes; nothing is delivered after it returns.
    func stop()
    /// Writes (nil: removes) the switch's metadata element of domain `uuid`, queued.
    func publish(uuid: String, metadata: String?)
}

/// Opens a connection to host `host` at `uri` delivering its reports to `deliver`.
public typealias VMManagerConnector = @Sendable (_ host: String, _ uri: String,
                                                 _ deliver: @escaping @Sendable (VMManagerEvent) -> Void) -> any VMManagerConnection
