import CAccessShim
import CommandEngine
import RunningConfig

/// The enable secret's hashing: yescrypt through libcrypt (libxcrypt), the KDF Debian uses
/// for /etc/shadow. A maintained, standard, salted and deliberately slow hash with no Swift
/// package to build; the hash is a crypt(3) string that any Linux tool can verify.
enum EnableSecret {
    /// A fresh salted hash of `secret`; nil if libcrypt fails (no randomness).
    static func hash(_ secret: String) -> String? {
        var out = [CChar](repeating: 0, count: 512)
        guard vmr_crypt_hash(secret, &out, Int32(out.count)) == 0 else { return nil }
        return String(decoding: out.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    static func verify(_ secret: String, against hash: String) -> Bool {
        vmr_crypt_verify(secret, hash) == 1
    }

    /// yescrypt in crypt(3)'s format, in its base-64 alphabet: `$y$`, the parameters
    /// (flags, N, r and optional extras), `$`, the salt (1-64 bytes), `$`, the 256-bit
    /// hash (43 characters).
    nonisolated(unsafe) static let yescryptShape = /\$y\$[.\/0-9A-Za-z]{3,16}\$[.\/0-9A-Za-z]{2,86}\$[.\/0-9A-Za-z]{43}/

    /// True when `hash` is a well-formed yescrypt hash (`enable secret 9 HASH`): the exact
    /// shape, and parameters libcrypt accepts. Other crypt(3) methods (DES, MD5, SHA-512)
    /// are refused: what flash stores is a hash this switch makes.
    static func isValidHash(_ hash: String) -> Bool {
        hash.wholeMatch(of: yescryptShape) != nil && vmr_crypt_valid(hash) == 1
    }

    /// `text` with every clear-text `enable secret SECRET` line made `enable secret 9
    /// "HASH"` (its indentation kept), for configuration text that goes into flash
    /// without passing through the command's handler (`copy file ... startup-config`).
    /// Lines are recognized as the switch parses them, abbreviations included. Nil when
    /// a secret cannot be hashed.
    static func hashingClearSecrets(in text: String, engine: CommandEngine) -> String? {
        guard let config = engine.mode(named: "config") else { return text }
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        for (index, line) in lines.enumerated() where mayBeClearSecret(line) {
            guard case .command(let command) = engine.parse(line, in: config),
                  let args = command.arguments(as: .accessEnableSecret) else { continue }
            guard let hash = hash(args.secret) else { return nil }
            let indent = line.prefix(while: { $0 == " " || $0 == "\t" })
            lines[index] = indent + "enable secret 9 " + ConfigText.quoted(hash)
        }
        return lines.joined(separator: "\n")
    }

    /// A cheap first look, so a 10,000-line configuration is not parsed line by line:
    /// the command starts with an abbreviation of `enable` and has at least three words
    /// (`enable secret SECRET`).
    private static func mayBeClearSecret(_ line: String) -> Bool {
        let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
        guard words.count >= 3, let first = words.first else { return false }
        return "enable".hasPrefix(first.lowercased())
    }
}
