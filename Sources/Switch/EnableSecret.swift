import CAccessShim

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

    /// True when `hash` is a crypt(3) hash libcrypt supports (`enable secret 9 HASH`).
    static func isValidHash(_ hash: String) -> Bool {
        hash.hasPrefix("$") && vmr_crypt_valid(hash) == 1
    }
}
