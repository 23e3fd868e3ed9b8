/// One block of the running configuration, contributed by a feature: a single line
/// (`hostname "x"`) or a sub-mode header with its body (`vlan 100` ... `exit`).
public struct ConfigStanza: Sendable, Hashable {
    /// Where the feature's blocks go in the canonical order (see `ConfigSection`).
    public let section: ConfigSection
    /// Orders blocks inside a section (VLAN id, port number, ...).
    public let key: Int
    public let lines: [String]

    public init(section: ConfigSection, key: Int = 0, line: String) {
        self.init(section: section, key: key, lines: [line])
    }

    public init(section: ConfigSection, key: Int = 0, lines: [String]) {
        self.section = section
        self.key = key
        self.lines = lines
    }

    /// A sub-mode block: the header, the body indented 8 spaces, closed by `exit`.
    public init(section: ConfigSection, key: Int = 0, header: String, body: [String]) {
        self.init(section: section, key: key,
                  lines: [header] + body.map { ConfigText.indent + $0 } + [ConfigText.indent + "exit"])
    }
}

/// The canonical order of the configuration's parts: the order replay needs (VLANs exist
/// before ports use them) and the order operators know from ENOS.
public enum ConfigSection: Int, Sendable, Hashable, Comparable {
    case system = 10
    case vlans = 20
    /// Access-control lists: ports and VM profiles name them, so they come first.
    case accessControl = 25
    /// EVB profiles: ports name them.
    case evbProfiles = 28
    case interfaces = 30
    /// vNICs and vNIC groups: after the ports (their speeds, their VLANs, which a group's
    /// reserved VLAN must not be), before what runs on them.
    case vnics = 32
    /// Control-plane protocols' global settings (LLDP, DCBX).
    case protocols = 35
    case macTable = 40
    /// VMready: OUIs, server ports, profiles, groups, checks, per-VM bandwidth.
    case virt = 50

    public static func < (a: ConfigSection, b: ConfigSection) -> Bool { a.rawValue < b.rawValue }
}

/// Text conventions of the configuration.
public enum ConfigText {
    public static let indent = String(repeating: " ", count: 8)

    /// Strings are always double-quoted in the configuration, with `"` and `\` escaped by a
    /// backslash so that any accepted string replays byte-identically (the command engine's
    /// tokenizer reads them back).
    public static func quoted(_ s: String) -> String {
        var out = "\""
        for c in s {
            if c == "\"" || c == "\\" { out.append("\\") }
            out.append(c)
        }
        return out + "\""
    }
}
