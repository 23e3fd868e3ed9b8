/// Operator access settings in the running configuration: the enable secret and the idle
/// limit of connected sessions.
struct AccessSettings: Sendable, Equatable {
    /// 10 minutes, as IOS lines default to.
    static let defaultExecTimeout = 600

    /// The enable secret as a crypt(3) hash (`$y$...`); never the secret itself.
    var enableSecretHash: String?
    /// Idle seconds before a connected session is logged out; 0 = never.
    var execTimeout = AccessSettings.defaultExecTimeout
}
