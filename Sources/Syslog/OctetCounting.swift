/// RFC 6587 octet-counting framing for syslog over TCP: `MSG-LEN SP SYSLOG-MSG`, so a
/// message may hold any octet (a newline in an event's text does not split it, as it
/// would with the older newline framing).
public enum OctetCounting {
    public static func frame(_ message: [UInt8]) -> [UInt8] {
        Array("\(message.count) ".utf8) + message
    }
}
