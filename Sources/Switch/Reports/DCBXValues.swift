import Frames

/// ETS tables (802.1Qaz): per priority its traffic class; per traffic class its bandwidth
/// share and transmission selection algorithm (`strict`, `cbs`, `ets`, `vendor` or the number).
struct ETSJSON: Encodable {
    var priorityTrafficClass: [Int]
    var trafficClassBandwidth: [Int]
    var trafficClassAlgorithm: [String]

    init(_ t: ETSTables) {
        priorityTrafficClass = t.priorityTrafficClass.map(Int.init)
        trafficClassBandwidth = t.trafficClassBandwidth.map(Int.init)
        trafficClassAlgorithm = t.trafficClassAlgorithm.map(LLDPReport.algorithm)
    }

    /// The priorities set in a PFC bitmap, ascending.
    static func priorities(_ bitmap: UInt8) -> [Int] { (0..<8).filter { bitmap & (1 << $0) != 0 } }
}

/// An Application Priority entry: the 802.1Qaz selector (1 EtherType, 2 TCP/SCTP port,
/// 3 UDP/DCCP port, 4 TCP/SCTP/UDP/DCCP port, 5 DSCP), the protocol and its priority.
struct ApplicationJSON: Encodable {
    var selector: Int
    var protocolID: Int
    var priority: Int

    /// The entry these values came from, for its text.
    var entry: ApplicationPriorityEntry {
        ApplicationPriorityEntry(priority: UInt8(priority), selector: UInt8(selector), protocolID: UInt16(protocolID))
    }

    init(_ entry: ApplicationPriorityEntry) {
        selector = Int(entry.selector)
        protocolID = Int(entry.protocolID)
        priority = Int(entry.priority)
    }
}
