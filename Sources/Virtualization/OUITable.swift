import Frames

/// The table of organizationally unique identifiers (the first three octets of
/// a MAC) that hypervisor vendors assign to virtual NICs. A source MAC whose OUI
/// is listed here is taken to be a VM.
///
/// A value type: the control side edits a copy and hands it to the `VMTable` (and its
/// OUIs to the dataplane's learning filter), so no reader sees a half-edited table.
public struct OUITable: Hashable, Sendable {
    /// Vendor name per 24-bit OUI.
    private var vendors: [UInt32: String]

    /// The prefixes switching.md requires out of the box.
    public static let defaultEntries: [(oui: UInt32, vendor: String)] = [
        (0x00_50_56, "VMware"), (0x00_0c_29, "VMware"), (0x00_05_69, "VMware"), (0x00_1c_14, "VMware"),
        (0x00_15_5d, "Microsoft Hyper-V"), (0x00_03_ff, "Microsoft Hyper-V"),
        (0x00_16_3e, "Xen"),
        (0x52_54_00, "QEMU/KVM"),
        (0x08_00_27, "Oracle VirtualBox"),
        (0x00_1c_42, "Parallels"),
        (0x00_0f_4b, "Virtual Iron"),
    ]

    /// The shipped table (`defaultEntries`).
    public static let defaults = OUITable(defaultEntries)

    /// An empty table.
    public init() { vendors = [:] }

    /// A table holding `entries`; a later duplicate OUI wins.
    public init(_ entries: [(oui: UInt32, vendor: String)]) {
        vendors = [:]
        for entry in entries { set(entry.oui, vendor: entry.vendor) }
    }

    /// Adds or renames an OUI (`virt oui XX:XX:XX "VENDOR"`). Bits above 24 are ignored.
    public mutating func set(_ oui: UInt32, vendor: String) {
        vendors[oui & 0xff_ffff] = vendor
    }

    /// Removes an OUI (`no virt oui XX:XX:XX`); false when it was not listed.
    @discardableResult
    public mutating func remove(_ oui: UInt32) -> Bool {
        vendors.removeValue(forKey: oui & 0xff_ffff) != nil
    }

    /// The vendor owning `mac`'s OUI, or nil when it is not a VM OUI.
    public func vendor(of mac: MACAddress) -> String? { vendors[mac.oui] }

    /// The vendor listed for `oui`, if any.
    public func vendor(forOUI oui: UInt32) -> String? { vendors[oui & 0xff_ffff] }

    /// Every entry, sorted by OUI (for `show virt oui` and the running-config).
    public var entries: [(oui: UInt32, vendor: String)] {
        vendors.sorted { $0.key < $1.key }.map { (oui: $0.key, vendor: $0.value) }
    }

    /// Number of OUIs listed.
    public var count: Int { vendors.count }

    /// Parses `00:50:56`, `00-50-56` or `005056` into a 24-bit OUI.
    public static func parseOUI(_ text: some StringProtocol) -> UInt32? {
        let digits = String(text.filter { $0 != ":" && $0 != "-" })
        // Separators are optional, but when present they must split three octets.
        guard digits.count == 6, text.count == 6 || text.count == 8,
              digits.allSatisfy(\.isHexDigit) else { return nil }
        return UInt32(digits, radix: 16)
    }

    /// `00:50:56` form of a 24-bit OUI.
    public static func format(oui: UInt32) -> String {
        let octets = [oui >> 16, oui >> 8, oui].map { value -> String in
            let hex = String(value & 0xff, radix: 16)
            return hex.count == 1 ? "0" + hex : hex
        }
        return octets.joined(separator: ":")
    }
}
