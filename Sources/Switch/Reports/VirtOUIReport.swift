import Console
import Virtualization

/// `show virt oui`: the OUIs whose MACs are taken for VMs, with their vendors.
struct VirtOUIReport: ShowReport {
    struct Entry: Encodable {
        /// `00:50:56`.
        var oui: String
        var vendor: String
    }

    var ouis: [Entry]

    init(_ table: OUITable) {
        ouis = table.entries.map { Entry(oui: OUITable.format(oui: $0.oui), vendor: $0.vendor) }
    }

    var lines: [String] {
        var out = ["OUI       Vendor", "--------  --------------------------------"]
        for entry in ouis { out.append(entry.oui + "  " + entry.vendor) }
        out.append("Number of entries: \(ouis.count)")
        return out
    }
}
