import struct Foundation.Date

/// Where a sender delivers: an IPv4 collector, its port and the transport.
public struct SyslogDestination: Sendable, Hashable, CustomStringConvertible {
    public enum Transport: String, Sendable, Hashable {
        /// RFC 5426: one message per datagram.
        case udp
        /// RFC 6587 with octet counting.
        case tcp
    }

    /// Dotted-quad IPv4 address.
    public var address: String
    public var port: UInt16
    public var transport: Transport

    public init(address: String, port: UInt16, transport: Transport) {
        self.address = address
        self.port = port
        self.transport = transport
    }

    public var description: String { "\(address) port \(port) \(transport.rawValue)" }
}

/// What one event becomes on its way to a collector, before the sender adds its own
/// header fields (facility, app-name, procid). The hostname is the event's: the switch's
/// name when it was logged, not when it was sent.
public struct SyslogRecord: Sendable, Hashable {
    public var time: Date
    public var hostname: String
    /// 0 (emergency) to 7 (debug).
    public var severity: Int
    public var msgID: String
    public var structuredData: [StructuredDataElement]
    public var message: String

    public init(time: Date, hostname: String, severity: Int, msgID: String, structuredData: [StructuredDataElement] = [], message: String) {
        self.time = time
        self.hostname = hostname
        self.severity = severity
        self.msgID = msgID
        self.structuredData = structuredData
        self.message = message
    }
}
