import Foundation
import Frames

/// What the switch reads from a libvirt domain XML: `<domain><name>`, `<domain><uuid>` and
/// every `<domain><devices><interface><mac address=.../>`. The XML comes from a hypervisor,
/// so it is untrusted: anything malformed is a thrown `Failure`, never a crash, and a MAC
/// that cannot be a VM's is left out and reported in `rejectedMACs`.
public struct DomainXML: Hashable, Sendable {
    public var name: String
    /// Canonical lower-case `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx`.
    public var uuid: String
    /// Interface MACs in document order, without duplicates.
    public var macs: [MACAddress]
    /// The `address` values left out (unparsable, group, all-zero or missing), as written
    /// (shortened when long), for the log.
    public var rejectedMACs: [String]

    /// Larger documents are refused unread: a real domain XML is a few kilobytes, and the
    /// parser's memory grows with its input.
    public static let maximumLength = 4 << 20

    public enum Failure: Error, Hashable, Sendable, CustomStringConvertible {
        case tooLarge(bytes: Int)
        /// The parser's message (it names line and column).
        case malformed(String)
        case notADomain(root: String)
        case missingName
        case missingUUID
        case badUUID(String)

        public var description: String {
            switch self {
            case .tooLarge(let bytes): "domain XML of \(bytes) bytes is over the \(DomainXML.maximumLength)-byte limit"
            case .malformed(let message): "malformed domain XML: \(message)"
            case .notADomain(let root): "not a domain XML (root element <\(DomainXML.shortened(root))>)"
            case .missingName: "domain XML without <name>"
            case .missingUUID: "domain XML without <uuid>"
            case .badUUID(let text): "domain XML with a bad <uuid> \"\(DomainXML.shortened(text))\""
            }
        }
    }

    public init(name: String, uuid: String, macs: [MACAddress], rejectedMACs: [String] = []) {
        self.name = name
        self.uuid = uuid
        self.macs = macs
        self.rejectedMACs = rejectedMACs
    }

    /// Reads `xml`. Throws when it is not a well-formed domain with a name and a UUID.
    public static func parse(_ xml: String) throws(Failure) -> DomainXML {
        let bytes = Array(xml.utf8)
        guard bytes.count <= maximumLength else { throw .tooLarge(bytes: bytes.count) }
        let document = try LibXMLDocument(bytes)
        let root = document.root
        guard root.name == "domain" else { throw .notADomain(root: root.name) }
        let name = root.child("name")?.text.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        guard !name.isEmpty else { throw .missingName }
        guard let uuidText = root.child("uuid")?.text else { throw .missingUUID }
        guard let uuid = canonicalUUID(uuidText) else { throw .badUUID(uuidText) }
        var macs: [MACAddress] = []
        var seen: Set<MACAddress> = []
        var rejected: [String] = []
        var count = 0
        for devices in root.children("devices") {
            for interface in devices.children("interface") {
                for mac in interface.children("mac") {
                    count += 1
                    guard count <= maximumInterfaces else { throw .malformed("over \(maximumInterfaces) interface MACs") }
                    guard let text = mac.attribute("address") else {
                        rejected.append("(a <mac> without address)")
                        continue
                    }
                    let trimmed = text.trimmingCharacters(in: .whitespaces)
                    guard let address = MACAddress(trimmed), !address.isMulticast, address != .zero else {
                        rejected.append(shortened(text))
                        continue
                    }
                    if seen.insert(address).inserted { macs.append(address) }
                }
            }
        }
        return DomainXML(name: name, uuid: uuid, macs: macs, rejectedMACs: rejected)
    }

    /// A domain has a handful of interfaces; a flood of them is refused.
    static let maximumInterfaces = 4096

    /// libvirt's UUID forms (hyphens anywhere, either case, surrounding blanks) as the
    /// canonical lower-case 8-4-4-4-12 text; nil unless exactly 32 hex digits.
    public static func canonicalUUID(_ text: String) -> String? {
        var digits: [UInt8] = []
        digits.reserveCapacity(32)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "f"):
                digits.append(byte)
            case UInt8(ascii: "A")...UInt8(ascii: "F"):
                digits.append(byte + 32)
            case UInt8(ascii: "-"), UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"):
                continue
            default:
                return nil
            }
            if digits.count > 32 { return nil }
        }
        guard digits.count == 32 else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(36)
        for (index, digit) in digits.enumerated() {
            if index == 8 || index == 12 || index == 16 || index == 20 { out.append(UInt8(ascii: "-")) }
            out.append(digit)
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// At most 64 characters of untrusted text, for messages.
    static func shortened(_ text: String) -> String {
        text.count <= 64 ? text : String(text.prefix(61)) + "..."
    }
}
