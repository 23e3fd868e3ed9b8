/// `virt vmcheck ...`: what basic validation does about a suspected spoof, and
/// which ports are exempt.
public struct VMCheckSettings: Hashable, Sendable {
    /// Ports exempt from the checks (uplinks): `virt vmcheck trust LIST`.
    public var trustedPorts: Set<Int> = []
    /// `virt vmcheck action basic log|link` (default log).
    public var basicAction: VMCheckAction = .log
    /// `virt vmcheck action advanced log|link|acl` (default log).
    public var advancedAction: VMCheckAction = .log
    /// `virt vmcheck acls max N`: most MACs the acl action blocks at once; beyond, logged only.
    public var aclsMax = VMCheckSettings.defaultACLsMax
    public static let defaultACLsMax = 50
    public static let aclsMaxRange = 1...256
    /// Moves of one VM within `flapWindowSeconds` that count as flapping.
    public static let flapMoves = 3
    /// The window for `flapMoves`, in seconds: live migrations take longer than this.
    public static let flapWindowSeconds = 10

    public init() {}
}

/// What a suspected spoof leads to.
public enum VMCheckAction: String, Hashable, Sendable, CaseIterable {
    /// Logged only.
    case log
    /// Logged, and the offending port is err-disabled.
    case link
    /// Logged, and the offending MAC is blocked on the offending port only (advanced).
    case acl
}
