/// The four VSI TLVs of VDP (IEEE 802.1Qbg-2012 41.2.3-41.2.9): a station's request and the
/// bridge's response share one layout, told apart by the status octet.
///
/// Wire (after the 7-bit type / 9-bit length header): status (1), VSI type ID (3), type
/// version (1), VSI ID format (1), VSI ID (16), filter info format (1), number of entries
/// (2), then the entries. An entry is, by format: 1 PS/PCP/VID (2); 2 MAC (6), PS/PCP/VID
/// (2) — the order lldpad sends; 3 group ID (4), PS/PCP/VID; 4 group ID, MAC, PS/PCP/VID.
public struct VSITLV: Hashable, Sendable {
    /// The TLV type: what the station asks for.
    public enum Request: UInt8, Hashable, Sendable, CaseIterable {
        case preAssociate = 1
        case preAssociateWithReservation = 2
        case associate = 3
        case deAssociate = 4
    }

    /// The status octet. In a request: M (0x10, migrating to this bridge) and S (0x20,
    /// suspended / migrating away). In a response: the error code (low four bits), hard
    /// error (0x10), keep (0x20) and request/ack (0x40, set in every response).
    public struct Status: Hashable, Sendable {
        public var rawValue: UInt8
        public init(rawValue: UInt8) { self.rawValue = rawValue }

        public static let request = Status(rawValue: 0)
        public static let ackBit: UInt8 = 0x40
        public static let keepBit: UInt8 = 0x20
        public static let hardErrorBit: UInt8 = 0x10
        public static let migrateToBit: UInt8 = 0x10
        public static let suspendedBit: UInt8 = 0x20

        /// A response: the ack bit, the error's code, hard when the station should not retry
        /// and keep when the VSI stays in its previous state.
        public static func response(_ error: ErrorCode = .success, hard: Bool = false, keep: Bool = false) -> Status {
            Status(rawValue: ackBit | error.rawValue | (hard ? hardErrorBit : 0) | (keep ? keepBit : 0))
        }

        public var isResponse: Bool { rawValue & Self.ackBit != 0 }
        /// The response's error code (nil: a code 802.1Qbg does not define).
        public var error: ErrorCode? { ErrorCode(rawValue: rawValue & 0x0f) }
    }

    /// Response error codes (802.1Qbg-2012 Table 41-2).
    public enum ErrorCode: UInt8, Hashable, Sendable {
        case success = 0
        case invalidFormat = 1
        case insufficientResources = 2
        case unableToContactVSIManager = 3
        case otherFailure = 4
        case invalidVIDGroupOrMAC = 5
    }

    /// Filter info formats (41.2.9).
    public enum FilterFormat: UInt8, Hashable, Sendable {
        case vid = 1
        case macVID = 2
        case groupVID = 3
        case groupMACVID = 4

        /// Octets per entry.
        public var entryLength: Int {
            switch self {
            case .vid: 2
            case .macVID: 8
            case .groupVID: 6
            case .groupMACVID: 12
            }
        }
    }

    /// One filter entry. Only the fields its TLV's format carries are on the wire; the others
    /// stay zero.
    public struct Filter: Hashable, Sendable {
        /// PS: the PCP is significant.
        public var prioritySignificant: Bool
        /// PCP, 3 bits.
        public var priority: UInt8
        /// VID, 12 bits; 0 in a request lets the bridge choose.
        public var vid: UInt16
        public var mac: MACAddress
        public var groupID: UInt32

        public init(vid: UInt16, mac: MACAddress = .zero, groupID: UInt32 = 0, prioritySignificant: Bool = false,
                    priority: UInt8 = 0) {
            self.vid = vid
            self.mac = mac
            self.groupID = groupID
            self.prioritySignificant = prioritySignificant
            self.priority = priority
        }

        /// The PS/PCP/VID word.
        var word: UInt16 { (prioritySignificant ? 0x8000 : 0) | UInt16(priority & 0x7) << 12 | vid & 0xfff }
    }

    /// The VSI ID format of a UUID (the one lldpad sends).
    public static let uuidFormat: UInt8 = 5
    /// The length of everything before the entries.
    public static let fixedLength = 25

    public var request: Request
    public var status: Status
    /// VSI type ID, 24 bits.
    public var typeID: UInt32
    public var typeVersion: UInt8
    /// VSI ID format: 1 IPv4, 2 IPv6, 3 MAC, 4 local, 5 UUID.
    public var idFormat: UInt8
    public var id: VDPIdentifier
    public var filterFormat: FilterFormat
    public var filters: [Filter]

    public init(request: Request, status: Status = .request, typeID: UInt32, typeVersion: UInt8,
                idFormat: UInt8 = VSITLV.uuidFormat, id: VDPIdentifier, filterFormat: FilterFormat, filters: [Filter]) {
        self.request = request
        self.status = status
        self.typeID = typeID
        self.typeVersion = typeVersion
        self.idFormat = idFormat
        self.id = id
        self.filterFormat = filterFormat
        self.filters = filters
    }

    /// The value's length on the wire.
    public var length: Int { Self.fixedLength + filters.count * filterFormat.entryLength }

    /// Decodes a VSI TLV's value (`request` from its type). The length must be exactly what
    /// the entry count and format say.
    init(request: Request, value: UnsafeRawBufferPointer, offset: Int) throws(VDPDecodingError) {
        guard value.count >= Self.fixedLength else { throw .badLength(type: request.rawValue, offset: offset, length: value.count) }
        guard let format = FilterFormat(rawValue: value[22]) else { throw .unknownFilterFormat(value[22], offset: offset) }
        let count = Int(value.loadBigEndianUInt16(at: 23))
        guard value.count == Self.fixedLength + count * format.entryLength else {
            throw .badLength(type: request.rawValue, offset: offset, length: value.count)
        }
        var filters: [Filter] = []
        filters.reserveCapacity(count)
        var at = Self.fixedLength
        for _ in 0..<count {
            var filter = Filter(vid: 0)
            if format == .groupVID || format == .groupMACVID {
                filter.groupID = value.loadBigEndianUInt32(at: at)
                at += 4
            }
            if format == .macVID || format == .groupMACVID {
                filter.mac = MACAddress(loadingFrom: value, atOffset: at)
                at += 6
            }
            let word = value.loadBigEndianUInt16(at: at)
            at += 2
            filter.prioritySignificant = word & 0x8000 != 0
            filter.priority = UInt8(word >> 12 & 0x7)
            filter.vid = word & 0xfff
            filters.append(filter)
        }
        self.init(request: request, status: Status(rawValue: value[0]),
                  typeID: UInt32(value[1]) << 16 | UInt32(value[2]) << 8 | UInt32(value[3]), typeVersion: value[4],
                  idFormat: value[5], id: VDPIdentifier(octets: Array(value[6..<22]))!, filterFormat: format,
                  filters: filters)
    }

    /// The value's octets. Fields wider than their bits are masked.
    var value: [UInt8] {
        var bytes: [UInt8] = [status.rawValue, UInt8(typeID >> 16 & 0xff), UInt8(typeID >> 8 & 0xff), UInt8(typeID & 0xff),
                              typeVersion, idFormat]
        bytes.reserveCapacity(length)
        bytes += id.octets
        bytes += [filterFormat.rawValue, UInt8(filters.count >> 8 & 0xff), UInt8(filters.count & 0xff)]
        for filter in filters {
            if filterFormat == .groupVID || filterFormat == .groupMACVID {
                bytes += [UInt8(filter.groupID >> 24), UInt8(filter.groupID >> 16 & 0xff), UInt8(filter.groupID >> 8 & 0xff),
                          UInt8(filter.groupID & 0xff)]
            }
            if filterFormat == .macVID || filterFormat == .groupMACVID { bytes += filter.mac.octets }
            bytes += [UInt8(filter.word >> 8), UInt8(filter.word & 0xff)]
        }
        return bytes
    }
}
