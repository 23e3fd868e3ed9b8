/// The typed parameters a grammar may use. Each knows its syntax (as `?` shows it),
/// how to validate a token, and whether a token could still become valid.
public enum ParameterType: Sendable, Hashable {
    case integer(ClosedRange<Int>)
    case mac
    case oui
    case ipv4
    case portList
    /// VLAN IDs and ranges (`1,100-200`), each 1-4094.
    case vlanList
    /// One vNIC, `P.I`: port 1-`VNICFormat.maxPort`, index 1-`VNICFormat.maxIndex`.
    case vnic
    case word
    case string
    case line

    /// Parses the type spelling used in grammar files (`<1-4094>`, `MAC`, `A.B.C.D`, ...).
    init?(grammarSpelling s: String) {
        switch s {
        case "MAC": self = .mac
        case "OUI": self = .oui
        case "A.B.C.D": self = .ipv4
        case "PORTS": self = .portList
        case "VLANS": self = .vlanList
        case "P.I": self = .vnic
        case "WORD": self = .word
        case "STRING": self = .string
        case "LINE": self = .line
        default:
            guard s.hasPrefix("<"), s.hasSuffix(">") else { return nil }
            let body = s.dropFirst().dropLast()
            // Accept a negative lower bound: "<-10-10>" is unusual but well-defined.
            guard let dash = body.dropFirst().firstIndex(of: "-"),
                  let lo = Int(body[body.startIndex..<dash]),
                  let hi = Int(body[body.index(after: dash)...]), lo <= hi else { return nil }
            self = .integer(lo...hi)
        }
    }

    /// How `?` and the reference show this parameter.
    public var syntax: String {
        switch self {
        case .integer(let r): return "<\(r.lowerBound)-\(r.upperBound)>"
        case .mac: return "XX:XX:XX:XX:XX:XX"
        case .oui: return "XX:XX:XX"
        case .ipv4: return "A.B.C.D"
        case .portList: return "PORTS"
        case .vlanList: return "VLANS"
        case .vnic: return "P.I"
        case .word: return "WORD"
        case .string: return "STRING"
        case .line: return "LINE"
        }
    }

    /// Typed parameters beat free words when both accept a token.
    var isFree: Bool {
        switch self {
        case .word, .string, .line: return true
        default: return false
        }
    }
}
