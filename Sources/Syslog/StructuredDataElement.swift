/// One RFC 5424 SD-ELEMENT: `[ID name="value" ...]`.
public struct StructuredDataElement: Sendable, Hashable {
    /// SD-ID; a private one is `name@ENTERPRISE`.
    public var id: String
    public var parameters: [(name: String, value: String)]

    public init(id: String, parameters: [(name: String, value: String)]) {
        self.id = id
        self.parameters = parameters
    }

    public static func == (a: Self, b: Self) -> Bool {
        a.id == b.id && a.parameters.elementsEqual(b.parameters) { $0.name == $1.name && $0.value == $1.value }
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(id)
        for parameter in parameters {
            hasher.combine(parameter.name)
            hasher.combine(parameter.value)
        }
    }

    /// The element's text, or nil when its ID is not a valid SD-NAME (the element is then
    /// left out: a collector would reject the whole message). Parameters with invalid names
    /// are left out; values have `"`, `\` and `]` escaped with a backslash (RFC 5424 6.3.3).
    public var text: String? {
        guard Self.isValidName(id, allowingAt: true) else { return nil }
        var out = "[" + id
        for parameter in parameters where Self.isValidName(parameter.name, allowingAt: false) {
            out += " " + parameter.name + "=\"" + Self.escaped(parameter.value) + "\""
        }
        return out + "]"
    }

    /// SD-NAME: 1-32 PRINTUSASCII except `=`, space, `]` and `"`. An SD-ID may hold one `@`
    /// (a private ID, `name@ENTERPRISE`); a PARAM-NAME may not.
    static func isValidName(_ name: String, allowingAt: Bool) -> Bool {
        let scalars = name.unicodeScalars
        guard (1...32).contains(scalars.count),
              scalars.allSatisfy({ (33...126).contains($0.value) && !"=]\"".unicodeScalars.contains($0) }) else { return false }
        let ats = scalars.filter { $0 == "@" }.count
        return allowingAt ? ats <= 1 && scalars.first != "@" && scalars.last != "@" : ats == 0
    }

    static func escaped(_ value: String) -> String {
        var out = ""
        for scalar in value.unicodeScalars {
            if scalar == "\"" || scalar == "\\" || scalar == "]" { out.append("\\") }
            out.unicodeScalars.append(scalar)
        }
        return out
    }
}
