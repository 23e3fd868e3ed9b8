import Frames
import SwitchTypes

/// ECP (IEEE 802.1Qbg-2012 clause 43) on one port, pure: what it sends and delivers is a
/// function of the ECPDUs it is given and the time. Each direction has its own sequence
/// space. Requests the bridge sends go one at a time (ECP is stop-and-wait), each
/// retransmitted after the ack timeout (10 * 2^RTE us) up to R times, then given up and
/// counted; requests the station sends are acknowledged, and a repeat of the last one (its
/// ack was lost) is acknowledged again but not delivered a second time.
public struct ECPPort: Sendable {
    /// `show ecp`.
    public struct Counters: Hashable, Sendable {
        /// Requests sent, retransmissions included.
        public var requestsOut = 0
        /// Requests received, duplicates included.
        public var requestsIn = 0
        public var acksOut = 0
        public var acksIn = 0
        /// Retransmissions of an unacknowledged request.
        public var retries = 0
        /// Requests given up after R retransmissions.
        public var timeouts = 0
        /// Repeated requests acknowledged but not delivered.
        public var duplicates = 0
        /// Frames that are not a usable ECPDU (or not VDP's), discarded.
        public var malformed = 0
        /// Acks for nothing outstanding (late or stray).
        public var unexpectedAcks = 0
        /// Payloads dropped because the send queue was full.
        public var queueOverflows = 0

        public init() {}
    }

    /// What one received frame produced.
    public struct Reception: Sendable {
        /// ECPDUs to send (the ack, the next queued request).
        public var out: [ECPDU] = []
        /// The payload to hand to the upper layer (VDP), when it is new.
        public var delivered: [UInt8]?
    }

    /// Requests queued behind the outstanding one, at most.
    public static let queueLimit = 64

    /// R and RTE (the negotiated values; changeable at any time, the next timeout uses them).
    public var retries: UInt8
    public var retransmitExponent: UInt8
    public private(set) var counters = Counters()

    /// The sequence of the next request the bridge sends.
    public private(set) var nextSequence: UInt16 = 1
    private var outstanding: (pdu: ECPDU, sentAt: Timestamp, retransmissions: Int)?
    private var queue: [[UInt8]] = []
    /// The station's last request delivered (its duplicates are not delivered again).
    private var lastReceived: UInt16?

    public init(retries: UInt8, retransmitExponent: UInt8) {
        self.retries = retries
        self.retransmitExponent = retransmitExponent
    }

    /// ECP's ack timeout now, in nanoseconds.
    public var ackTimeout: Int64 { EVBOperational.nanoseconds(exponent: retransmitExponent) }

    /// Requests not yet acknowledged (the outstanding one and the queued).
    public var pending: Int { (outstanding == nil ? 0 : 1) + queue.count }

    /// When `run` next has something to do.
    public var nextDeadline: Timestamp? {
        outstanding.map { Timestamp(nanoseconds: $0.sentAt.nanoseconds + ackTimeout) }
    }

    /// Sends `payload` (a VDPDU) to the station: at once when nothing is outstanding, else
    /// after what is queued before it.
    public mutating func send(_ payload: [UInt8], at now: Timestamp) -> [ECPDU] {
        guard queue.count < Self.queueLimit else {
            counters.queueOverflows += 1
            return []
        }
        queue.append(payload)
        return startNext(at: now)
    }

    /// A frame's ECPDU, or nil (counted malformed) when it is none of VDP's.
    public mutating func decode(_ frame: UnsafeRawBufferPointer) -> ECPDU? {
        guard let pdu = try? ECPDU(decodingFrame: frame), pdu.subtype == ECPDU.vdpSubtype else {
            counters.malformed += 1
            return nil
        }
        return pdu
    }

    /// An ECPDU from the station.
    public mutating func receive(_ pdu: ECPDU, at now: Timestamp) -> Reception {
        var reception = Reception()
        switch pdu.operation {
        case .request:
            counters.requestsIn += 1
            counters.acksOut += 1
            reception.out.append(ECPDU(operation: .acknowledgement, subtype: pdu.subtype, sequence: pdu.sequence))
            if lastReceived == pdu.sequence {
                counters.duplicates += 1
            } else {
                lastReceived = pdu.sequence
                reception.delivered = pdu.payload
            }
        case .acknowledgement:
            guard let current = outstanding, current.pdu.sequence == pdu.sequence else {
                counters.unexpectedAcks += 1
                return reception
            }
            counters.acksIn += 1
            outstanding = nil
            reception.out += startNext(at: now)
        }
        return reception
    }

    /// Retransmits the outstanding request when its ack is overdue, or gives it up after R
    /// retransmissions (and sends the next queued).
    public mutating func run(at now: Timestamp) -> [ECPDU] {
        guard let current = outstanding, now.nanoseconds >= current.sentAt.nanoseconds + ackTimeout else { return [] }
        if current.retransmissions < Int(retries) {
            outstanding = (current.pdu, now, current.retransmissions + 1)
            counters.retries += 1
            counters.requestsOut += 1
            return [current.pdu]
        }
        counters.timeouts += 1
        outstanding = nil
        return startNext(at: now)
    }

    /// The link went down or the station went away: nothing outstanding, nothing queued, and
    /// the station's next request is new whatever its sequence.
    public mutating func reset() {
        outstanding = nil
        queue = []
        lastReceived = nil
    }

    private mutating func startNext(at now: Timestamp) -> [ECPDU] {
        guard outstanding == nil, !queue.isEmpty else { return [] }
        let pdu = ECPDU(operation: .request, sequence: nextSequence, payload: queue.removeFirst())
        nextSequence &+= 1
        outstanding = (pdu, now, 0)
        counters.requestsOut += 1
        return [pdu]
    }
}
