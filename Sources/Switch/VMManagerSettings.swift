/// `virt vmmanager ...`: the hypervisors the switch connects to, the hosts bound to ports
/// by hand, discovery through LLDP and whether the switch writes domain metadata
/// (vm-manager.md, "Configuration").
struct VMManagerSettings: Hashable, Sendable {
    /// One `virt vmmanager host NAME ...`.
    struct Host: Hashable, Sendable {
        /// `uri "URI"`: the libvirt connection; nil for a host bound to ports only.
        var uri: String?
        /// `port LIST`: the host is behind these ports whatever LLDP says.
        var ports: Set<Int> = []
    }

    /// By the operator's name for the host.
    var hosts: [String: Host] = [:]
    /// `discover lldp "TEMPLATE"`: `{address}` and `{name}` filled from each LLDP neighbour.
    var discoveryTemplate: String?
    /// `publish` (the default): verified VMs' locations go into their domains' metadata.
    var publish = true

    /// Most hosts: each is a connection and a thread.
    static let maximumHosts = 64
    /// The placeholders a discovery template may use.
    static let templateFields = ["{address}", "{name}"]

    /// The URI `template` gives a neighbour.
    static func uri(template: String, address: String, name: String) -> String {
        template.replacingOccurrences(of: "{address}", with: address).replacingOccurrences(of: "{name}", with: name)
    }
}
