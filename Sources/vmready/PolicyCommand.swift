import ArgumentParser
import PolicyDB
import SwitchTypes

/// `vmready policy`: operators' scripts edit the data-centre policy database with the same
/// library and schema the switch uses. Parsing only; PolicyRunner.swift runs the command.
struct PolicyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vmready policy",
        abstract: "Edit the data-centre policy database (PostgreSQL): profiles, VM assignments, VSI types.",
        discussion: """
            Every subcommand takes --db URI (postgresql://USER@HOST:PORT/DB, no password in it) \
            and --password-file PATH (the password is the file's first line). The schema is \
            created or migrated first. Errors are one line on stderr, exit status 1.
            """,
        subcommands: [PolicyProfileCommand.self, PolicyAssignCommand.self, PolicyUnassignCommand.self,
                      PolicyVSITypeCommand.self, PolicyListCommand.self, PolicyExportCommand.self, PolicyImportCommand.self])
}

/// Where the database is; every subcommand has them (before or after its name).
struct PolicyDatabaseOptions: ParsableArguments {
    @Option(name: .customLong("db"), help: ArgumentHelp("The database, e.g. postgresql://vmready@db1:5432/policy.", valueName: "URI"))
    var uri: String

    @Option(name: .customLong("password-file"), help: ArgumentHelp("The file whose first line is the password.", valueName: "PATH"))
    var passwordFile: String?
}

/// A subcommand that runs against an open, migrated connection and returns its output.
protocol PolicySubcommand: ParsableCommand {
    var database: PolicyDatabaseOptions { get }
    func run(on connection: PolicyConnection) throws(PolicyDBError) -> PolicyOutput
}

/// What a subcommand prints: text on stdout, warnings (bad rows skipped) on stderr.
struct PolicyOutput {
    var text = ""
    var warnings: [String] = []
}

struct PolicyProfileCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "profile", abstract: "Add or remove a VM profile.",
        subcommands: [PolicyProfileAddCommand.self, PolicyProfileRemoveCommand.self])
}

struct PolicyProfileAddCommand: PolicySubcommand {
    static let configuration = CommandConfiguration(
        commandName: "add", abstract: "Add a profile, or replace the profile of that name (its assignments stay).")

    @OptionGroup var database: PolicyDatabaseOptions

    @Argument(help: "The profile's name (1-32 letters, digits, '-', '_', '.').")
    var name: String

    @Option(name: .customLong("vlan"), help: ArgumentHelp("The VM's VLAN (1-4094).", valueName: "V"))
    var vlan: Int

    @Flag(name: .customLong("tag"), help: "The VM's traffic is tagged with the VLAN.")
    var tagged = false

    @Option(name: .customLong("shaping"), parsing: .upToNextOption,
            help: ArgumentHelp("Ingress shaping: average kbit/s, burst kbytes, peak kbit/s.", valueName: "AVG BURST PEAK"))
    var shaping: [Int] = []

    @Option(name: .customLong("eshaping"), parsing: .upToNextOption,
            help: ArgumentHelp("Egress shaping: average kbit/s, burst kbytes, peak kbit/s.", valueName: "AVG BURST PEAK"))
    var egressShaping: [Int] = []

    @Option(name: .customLong("acl"), parsing: .upToNextOption, help: ArgumentHelp("ACL rule numbers (1-256).", valueName: "N"))
    var acls: [Int] = []

    func validate() throws {
        guard shaping.isEmpty || shaping.count == 3 else { throw ValidationError("--shaping takes three numbers: AVG BURST PEAK") }
        guard egressShaping.isEmpty || egressShaping.count == 3 else { throw ValidationError("--eshaping takes three numbers: AVG BURST PEAK") }
        guard PolicyProfile.vlanRange.contains(vlan) else { throw ValidationError("--vlan must be between 1 and 4094") }
    }

    var profile: PolicyProfile {
        func shape(_ values: [Int]) -> Shaping? {
            values.count == 3 ? Shaping(averageKbps: values[0], burstKBytes: values[1], peakKbps: values[2]) : nil
        }
        return PolicyProfile(name: name, vlan: UInt16(clamping: vlan), tagged: tagged, shaping: shape(shaping),
                             egressShaping: shape(egressShaping), acls: acls)
    }
}

struct PolicyProfileRemoveCommand: PolicySubcommand {
    static let configuration = CommandConfiguration(
        commandName: "remove", abstract: "Remove a profile, with its assignments and VSI types.")

    @OptionGroup var database: PolicyDatabaseOptions

    @Argument(help: "The profile's name.")
    var name: String
}

struct PolicyAssignCommand: PolicySubcommand {
    static let configuration = CommandConfiguration(
        commandName: "assign", abstract: "Assign a VM (by MAC, UUID or name) to a profile.")

    @OptionGroup var database: PolicyDatabaseOptions

    @Argument(help: ArgumentHelp("The VM: a MAC (aa:bb:cc:dd:ee:ff or aabb.ccdd.eeff), a UUID, or a name.", valueName: "MAC|NAME|UUID"))
    var vm: String

    @Argument(help: "The profile.")
    var profile: String

    func validate() throws { _ = try policyVMKey(vm) }
}

struct PolicyUnassignCommand: PolicySubcommand {
    static let configuration = CommandConfiguration(commandName: "unassign", abstract: "Remove a VM's assignment.")

    @OptionGroup var database: PolicyDatabaseOptions

    @Argument(help: ArgumentHelp("The VM as it was assigned: MAC, UUID or name.", valueName: "MAC|NAME|UUID"))
    var vm: String

    func validate() throws { _ = try policyVMKey(vm) }
}

struct PolicyVSITypeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vsitype", abstract: "Add or remove a VSI type (VDP type ID and version to a profile).",
        subcommands: [PolicyVSITypeAddCommand.self, PolicyVSITypeRemoveCommand.self])
}

struct PolicyVSITypeAddCommand: PolicySubcommand {
    static let configuration = CommandConfiguration(
        commandName: "add", abstract: "Map a VSI type ID and version to a profile (replacing an earlier mapping).")

    @OptionGroup var database: PolicyDatabaseOptions

    @Argument(help: "The VSI type ID (0-16777215).")
    var typeID: Int

    @Argument(help: "The VSI type version (0-255).")
    var version: Int

    @Argument(help: "The profile.")
    var profile: String
}

struct PolicyVSITypeRemoveCommand: PolicySubcommand {
    static let configuration = CommandConfiguration(commandName: "remove", abstract: "Remove a VSI type.")

    @OptionGroup var database: PolicyDatabaseOptions

    @Argument(help: "The VSI type ID.")
    var typeID: Int

    @Argument(help: "The VSI type version.")
    var version: Int
}

struct PolicyListCommand: PolicySubcommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List profiles, assignments and VSI types (bad rows are reported on stderr).")

    @OptionGroup var database: PolicyDatabaseOptions

    @Flag(name: .customLong("json"), help: "As JSON, the form export writes.")
    var json = false
}

struct PolicyExportCommand: PolicySubcommand {
    static let configuration = CommandConfiguration(
        commandName: "export", abstract: "Write profiles, assignments and VSI types as JSON on stdout.")

    @OptionGroup var database: PolicyDatabaseOptions
}

struct PolicyImportCommand: PolicySubcommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Add or replace every entry of an exported JSON file, in one transaction; refused whole if one entry is bad.")

    @OptionGroup var database: PolicyDatabaseOptions

    @Argument(help: ArgumentHelp("The JSON file ('-' for stdin).", valueName: "FILE"))
    var file: String
}

/// A VM as typed on the command line, or a usage error.
func policyVMKey(_ text: String) throws -> VMKey {
    guard let key = VMKey(parsing: text) else {
        throw ValidationError("'\(text)' is not a MAC address, a UUID or a VM name (1-32 letters, digits, '-', '_', '.')")
    }
    return key
}
