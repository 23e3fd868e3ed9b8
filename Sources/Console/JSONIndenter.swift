/// Indents a compact JSON document (`| json-pretty`): two spaces a level, `"key": value`,
/// empty arrays and objects as `[]` and `{}`. Foundation's own pretty printing on Linux
/// writes `"key" : value` and splits empty arrays over three lines, which reads badly
/// and differs from every other switch's JSON.
enum JSONIndenter {
    static func indent(_ compact: String) -> String {
        let bytes = Array(compact.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 2)
        var depth = 0
        var i = 0
        func newline() {
            out.append(0x0a)
            out.append(contentsOf: repeatElement(0x20, count: depth * 2))
        }
        while i < bytes.count {
            let c = bytes[i]
            switch c {
            case UInt8(ascii: "\""):
                // A string is copied as it is, escapes included.
                let start = i
                i += 1
                while i < bytes.count, bytes[i] != UInt8(ascii: "\"") { i += bytes[i] == UInt8(ascii: "\\") ? 2 : 1 }
                out.append(contentsOf: bytes[start...min(i, bytes.count - 1)])
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                let close: UInt8 = c == UInt8(ascii: "{") ? UInt8(ascii: "}") : UInt8(ascii: "]")
                out.append(c)
                if i + 1 < bytes.count, bytes[i + 1] == close {
                    out.append(close)
                    i += 1
                } else {
                    depth += 1
                    newline()
                }
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                depth -= 1
                newline()
                out.append(c)
            case UInt8(ascii: ","):
                out.append(c)
                newline()
            case UInt8(ascii: ":"):
                out.append(contentsOf: [c, 0x20])
            default:
                out.append(c)
            }
            i += 1
        }
        return String(decoding: out, as: UTF8.self)
    }
}
