#if os(Linux)
import Foundation

/// What tshark (Wireshark 4.0) makes of a capture of LLDPDUs: each one's TLVs as tshark
/// decodes them, and whether it flags any frame as malformed or with expert information.
struct TsharkLLDP {
    /// One LLDPDU's values as tshark's fields give them (several occurrences joined by ",";
    /// empty for a TLV that is not there).
    struct Frame: Equatable, CustomStringConvertible {
        var source: String
        var chassisID: String
        var portIDSubtype: String
        var portID: String
        var timeToLive: String
        var systemName: String
        var systemDescription: String
        /// The Bridge bit of the enabled capabilities.
        var bridgeEnabled: String
        var portDescription: String
        var managementAddress: String
        var portVLANID: String
        var vlanIDs: String
        var vlanNames: String

        static let fields = ["eth.src", "lldp.chassis.id.mac", "lldp.port.subtype", "lldp.port.id", "lldp.time_to_live",
                             "lldp.tlv.system.name", "lldp.tlv.system.desc", "lldp.tlv.enable_system_cap.bridge",
                             "lldp.port.desc", "lldp.mgn.addr.ip4", "lldp.ieee.802_1.port_vlan.id",
                             "lldp.ieee.802_1.vlan.id", "lldp.ieee.802_1.vlan.name"]

        init(source: String, chassisID: String, portIDSubtype: String, portID: String, timeToLive: String,
             systemName: String, systemDescription: String, bridgeEnabled: String, portDescription: String,
             managementAddress: String, portVLANID: String, vlanIDs: String, vlanNames: String) {
            self.source = source
            self.chassisID = chassisID
            self.portIDSubtype = portIDSubtype
            self.portID = portID
            self.timeToLive = timeToLive
            self.systemName = systemName
            self.systemDescription = systemDescription
            self.bridgeEnabled = bridgeEnabled
            self.portDescription = portDescription
            self.managementAddress = managementAddress
            self.portVLANID = portVLANID
            self.vlanIDs = vlanIDs
            self.vlanNames = vlanNames
        }

        /// `cells` in the order of `fields`.
        init(_ cells: [String]) {
            self.init(source: cells[0], chassisID: cells[1], portIDSubtype: cells[2], portID: cells[3], timeToLive: cells[4],
                      systemName: cells[5], systemDescription: cells[6], bridgeEnabled: cells[7], portDescription: cells[8],
                      managementAddress: cells[9], portVLANID: cells[10], vlanIDs: cells[11], vlanNames: cells[12])
        }

        var description: String {
            "\(source) chassis \(chassisID) port \(portIDSubtype)/\(portID) ttl \(timeToLive) name \(systemName) "
                + "descr \(systemDescription) bridge \(bridgeEnabled) portdesc \(portDescription) mgmt \(managementAddress) "
                + "pvid \(portVLANID) vlans \(vlanIDs) names \(vlanNames)\n"
        }
    }

    let path: String
    /// Every LLDPDU in the capture, in order.
    let frames: [Frame]
    /// Frames that are not LLDP at all.
    let otherFrames: Int
    /// tshark's summary lines of frames it marks malformed or with expert information.
    let flagged: String
    /// `tshark -V` of the first LLDPDU.
    let firstDecode: String

    static func read(_ path: String) throws -> TsharkLLDP {
        let fields = try tshark(["-r", path, "-T", "fields", "-E", "separator=/t", "-E", "occurrence=a", "-E", "aggregator=,",
                                 "-e", "frame.number", "-e", "lldp.tlv.type"] + Frame.fields.flatMap { ["-e", $0] })
        var frames: [Frame] = [], numbers: [String] = [], other = 0
        for line in fields.split(separator: "\n", omittingEmptySubsequences: true) {
            let cells = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard cells.count == Frame.fields.count + 2 else {
                throw LabFailure(description: "tshark printed an unexpected line for \(path): \(line)")
            }
            // A frame without LLDP TLVs has no TLV types.
            guard !cells[1].isEmpty else {
                other += 1
                continue
            }
            numbers.append(cells[0])
            frames.append(Frame(Array(cells[2...])))
        }
        let flagged = try tshark(["-r", path, "-Y", "_ws.expert || _ws.malformed"])
        let first = numbers.first.map { try? tshark(["-r", path, "-V", "-Y", "frame.number == \($0)"]) } ?? nil
        return TsharkLLDP(path: path, frames: frames, otherFrames: other, flagged: flagged, firstDecode: first ?? "")
    }

    /// `fields` of every frame `filter` selects, one line per frame (occurrences joined by ",",
    /// fields by "|").
    static func fields(_ path: String, filter: String, _ fields: [String]) throws -> [String] {
        try tshark(["-r", path, "-Y", filter, "-T", "fields", "-E", "separator=|", "-E", "occurrence=a", "-E", "aggregator=,"]
                   + fields.flatMap { ["-e", $0] }).split(separator: "\n").map(String.init)
    }

    private static func tshark(_ arguments: [String]) throws -> String {
        let result = try HostProcesses.run(["tshark"] + arguments)
        guard result.succeeded else { throw LabFailure(description: "tshark failed: " + result.summary) }
        return result.stdout
    }
}
#endif
