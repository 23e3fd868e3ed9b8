import PolicyDB

/// `virt policy-db ...`: where the data-centre-wide policy database is and who this switch
/// is in it (policy-db.md, "Configuration"). The password is never here: only the file
/// that holds it.
struct PolicyDBConfiguration: Hashable, Sendable {
    /// `uri "postgresql://USER@HOST:PORT/DB"`; nil: no database (the switch's own profiles only).
    var uri: String?
    /// `password-file PATH`.
    var passwordFile: String?
    /// `switch-id NAME`; nil: the hostname.
    var switchID: String?

    var isEmpty: Bool { uri == nil && passwordFile == nil && switchID == nil }

    /// Longest URI or path accepted: a line of configuration, not a file.
    static let maximumLength = 512
    static let switchIDLength = 1...64

    /// Why `uri` is refused, nil when it is acceptable: a PostgreSQL URI, printable, without
    /// a password (which would be in the running-config, the logs and every backup).
    static func problem(uri: String) -> String? {
        guard !uri.isEmpty, uri.count <= maximumLength,
              uri.unicodeScalars.allSatisfy({ $0.value >= 0x21 && $0.value < 0x7f }) else {
            return "Invalid URI: 1-\(maximumLength) printable characters, no spaces"
        }
        let schemes = ["postgresql://", "postgres://"]
        guard schemes.contains(where: { uri.lowercased().hasPrefix($0) }) else {
            return "Invalid URI: it must start with postgresql://"
        }
        // libpq's own parser decides what carries a password, as it does when connecting.
        do {
            if try PolicyConnection.carriesPassword(uri) {
                return "The URI carries a password: put it in a file (virt policy-db password-file PATH)"
            }
        } catch {
            return "Invalid URI: \(error)"
        }
        return nil
    }

    /// Why `path` is refused as a password file, nil when acceptable. Whether the file is
    /// there is the connection's business (reported by `show virt policy-db`): a
    /// startup-config naming a file provisioned later must not lose the line.
    static func problem(passwordFile path: String) -> String? {
        guard path.hasPrefix("/"), path.count <= maximumLength,
              path.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value < 0x7f }) else {
            return "Invalid password file: an absolute path of printable characters"
        }
        return nil
    }

    static func isValid(switchID id: String) -> Bool {
        switchIDLength.contains(id.count)
            && id.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) }
    }
}
