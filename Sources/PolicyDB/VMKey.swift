import Frames

/// How an assignment names a VM: by MAC, by BIOS UUID or by name. The `assignments` table
/// stores `kind` and `key` as the canonical text here (lower-case colon MAC, lower-case
/// 8-4-4-4-12 UUID, the name as given).
public enum VMKey: Sendable, Hashable, CustomStringConvertible {
    case mac(MACAddress)
    case name(String)
    case uuid(String)

    /// Reads what an operator types: a MAC in any form the switch accepts
    /// (`aa:bb:cc:dd:ee:ff`, `aa-bb-..`, `aabb.ccdd.eeff`), a UUID (any case), else a VM
    /// name; nil when it is none of them (an invalid name).
    public init?(parsing text: String) {
        if let mac = MACAddress(text) {
            self = .mac(mac)
        } else if let uuid = VMKey.canonicalUUID(text) {
            self = .uuid(uuid)
        } else if PolicyNames.isValid(text) {
            self = .name(text)
        } else {
            return nil
        }
    }

    /// Reads a stored `(kind, key)` pair; nil unless both are canonical (rows are checked
    /// by the client, so an operator's `AA:BB:..` is reported rather than half matched).
    public init?(kind: String, key: String) {
        switch kind {
        case "mac":
            guard let mac = MACAddress(key), mac.description == key else { return nil }
            self = .mac(mac)
        case "uuid":
            guard VMKey.canonicalUUID(key) == key else { return nil }
            self = .uuid(key)
        case "name":
            guard PolicyNames.isValid(key) else { return nil }
            self = .name(key)
        default:
            return nil
        }
    }

    public var kind: String {
        switch self {
        case .mac: "mac"
        case .name: "name"
        case .uuid: "uuid"
        }
    }

    /// The canonical text stored in the database.
    public var key: String {
        switch self {
        case .mac(let mac): mac.description
        case .name(let name): name
        case .uuid(let uuid): uuid
        }
    }

    public var description: String { key }

    /// `text` as lower-case 8-4-4-4-12 hex, or nil when it is not a UUID.
    public static func canonicalUUID(_ text: String) -> String? {
        let bytes = Array(text.utf8)
        guard bytes.count == 36 else { return nil }
        var out = [UInt8]()
        out.reserveCapacity(36)
        for (index, byte) in bytes.enumerated() {
            if index == 8 || index == 13 || index == 18 || index == 23 {
                guard byte == UInt8(ascii: "-") else { return nil }
                out.append(byte)
                continue
            }
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "f"): out.append(byte)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): out.append(byte + 32)
            default: return nil
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
