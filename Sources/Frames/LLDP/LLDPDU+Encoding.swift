extension LLDPDU {
    /// The LLDPDU's TLV area: Chassis ID, Port ID, Time To Live, `tlvs` in order, then End Of
    /// LLDPDU. Throws when a field is longer than its TLV allows (802.1AB-2016 clause 8) or the
    /// whole is over 1500 octets; never truncates a field silently. Bits narrower than their
    /// property (a PFC capability over 15, say) are masked to their field.
    public func encode() throws(LLDPEncodingError) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(256)
        let chassis = chassisID.wire
        try Self.append(type: LLDPTLVType.chassisID, value: [chassis.subtype] + chassis.octets, to: &bytes)
        let port = portID.wire
        try Self.append(type: LLDPTLVType.portID, value: [port.subtype] + port.octets, to: &bytes)
        try Self.append(type: LLDPTLVType.timeToLive, value: be16(timeToLive), to: &bytes)
        for tlv in tlvs {
            try Self.append(type: tlv.type, value: try tlv.encodedValue(), to: &bytes)
        }
        bytes += [0, 0]
        guard bytes.count <= Self.maxLength else { throw .tooLong(length: bytes.count) }
        return bytes
    }

    /// A whole Ethernet frame (without FCS) carrying the LLDPDU from `source` to `destination`
    /// (nearest bridge unless told), EtherType 0x88cc, padded with zeros to the 60-octet minimum.
    public func frame(source: MACAddress, destination: MACAddress = .lldpNearestBridge) throws(LLDPEncodingError) -> [UInt8] {
        var bytes = destination.octets + source.octets + be16(EtherType.lldp)
        bytes += try encode()
        if bytes.count < 60 { bytes += [UInt8](repeating: 0, count: 60 - bytes.count) }
        return bytes
    }

    /// Appends the 7-bit type, 9-bit length header and the value, checking the length.
    private static func append(type: UInt8, value: [UInt8], to bytes: inout [UInt8]) throws(LLDPEncodingError) {
        guard type < 128, LLDPTLVType.allowedLengths(type).contains(value.count) else {
            throw .badLength(type: type, length: value.count)
        }
        bytes += be16(UInt16(type) << 9 | UInt16(value.count))
        bytes += value
    }
}

extension LLDPTLV {
    /// The TLV's value octets (after the two-octet header).
    func encodedValue() throws(LLDPEncodingError) -> [UInt8] {
        switch self {
        case .portDescription(let text), .systemName(let text), .systemDescription(let text):
            return text.octets
        case .systemCapabilities(let capabilities):
            return be16(capabilities.supported.rawValue) + be16(capabilities.enabled.rawValue)
        case .managementAddress(let management):
            let address = management.address.octets
            // The address string (family + address) is 2–32 octets, the OID at most 128.
            guard (1...31).contains(address.count), management.objectIdentifier.count <= 128 else {
                throw .badLength(type: LLDPTLVType.managementAddress,
                                 length: 7 + address.count + management.objectIdentifier.count)
            }
            return [UInt8(address.count + 1), management.address.family] + address
                + [management.interfaceNumbering] + be32(management.interfaceNumber)
                + [UInt8(management.objectIdentifier.count)] + management.objectIdentifier
        case .organizational(let tlv):
            let key = tlv.key
            return [UInt8(key.oui >> 16 & 0xff), UInt8(key.oui >> 8 & 0xff), UInt8(key.oui & 0xff), key.subtype]
                + (try tlv.encodedInformation())
        case .unknown(_, let value):
            return value
        }
    }
}

extension LLDPOrganizationalTLV {
    /// The information octets after OUI and subtype.
    func encodedInformation() throws(LLDPEncodingError) -> [UInt8] {
        switch self {
        case .portVLANID(let vid):
            return be16(vid)
        case .vlanName(let vid, let name):
            guard name.octets.count <= 32 else {
                throw .badLength(type: LLDPTLVType.organizationallySpecific, length: 7 + name.octets.count)
            }
            return be16(vid) + [UInt8(name.octets.count)] + name.octets
        case .etsConfiguration(let ets):
            let flags: UInt8 = (ets.willing ? 0x80 : 0) | (ets.creditBasedShaper ? 0x40 : 0)
            return [flags | ets.maxTrafficClasses & 0x7] + ets.tables.encoded
        case .etsRecommendation(let tables):
            return [0] + tables.encoded
        case .pfcConfiguration(let pfc):
            let flags: UInt8 = (pfc.willing ? 0x80 : 0) | (pfc.macsecBypassCapability ? 0x40 : 0)
            return [flags | pfc.capability & 0xf, pfc.enabled]
        case .applicationPriority(let table):
            var bytes: [UInt8] = [0]
            for entry in table.entries {
                bytes.append(entry.priority << 5 | entry.selector & 0x7)
                bytes += be16(entry.protocolID)
            }
            return bytes
        case .cdcp(let cdcp):
            guard cdcp.channels.count <= CDCPTLV.maxChannels, cdcp.channelCapacity <= 0xfff,
                  cdcp.channels.allSatisfy({ $0.scid <= 0xfff && $0.svid <= 0xfff }) else {
                throw .badLength(type: LLDPTLVType.organizationallySpecific, length: 8 + 3 * cdcp.channels.count)
            }
            var bytes: [UInt8] = [cdcp.role.rawValue << 7 | (cdcp.sComponent ? 0x08 : 0), 0] + be16(cdcp.channelCapacity)
            for channel in cdcp.channels {
                bytes += [UInt8(channel.scid >> 4), UInt8(channel.scid & 0xf) << 4 | UInt8(channel.svid >> 8),
                          UInt8(channel.svid & 0xff)]
            }
            return bytes
        case .unknown(_, _, let value):
            return value
        }
    }
}

private func be16(_ value: UInt16) -> [UInt8] { [UInt8(value >> 8), UInt8(value & 0xff)] }

private func be32(_ value: UInt32) -> [UInt8] {
    [UInt8(value >> 24), UInt8(value >> 16 & 0xff), UInt8(value >> 8 & 0xff), UInt8(value & 0xff)]
}
