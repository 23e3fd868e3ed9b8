/// Addresses in JSON output (`show ... | json`) are strings in the form the text shows:
/// `00:50:56:9c:00:c8`, `198.18.0.1`. An automation script compares them as strings,
/// as it would with Arista EOS or NX-OS output.
extension MACAddress: Encodable {
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

extension IPv4Address: Encodable {
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
