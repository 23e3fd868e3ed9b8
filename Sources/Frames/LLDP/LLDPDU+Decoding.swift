extension LLDPDU {
    /// Decodes the TLV area of an LLDP frame (the octets after EtherType 0x88cc).
    ///
    /// Strict, because a malformed LLDPDU is discarded whole (protocols.md): every TLV header
    /// and length is checked before its value is read, so no input traps. Where the standard
    /// leaves room:
    /// - End Of LLDPDU is optional (802.1AB-2016 8.4 made it so; the frame length ends the
    ///   LLDPDU). Octets after an End TLV are Ethernet padding and ignored; zero padding after
    ///   a TLV area without End reads as an End TLV.
    /// - A Time To Live of 0 is valid: it is the sender's shutdown LLDPDU.
    /// - Reserved TLV types, reserved ID subtypes and unknown OUIs or 802.1 subtypes are kept
    ///   as octets; a known 802.1 subtype at a wrong length rejects the LLDPDU.
    /// - A repeated Port Description, System Name, System Description or System Capabilities
    ///   TLV rejects the LLDPDU (802.1AB allows one each); Management Address and
    ///   organizationally specific TLVs may repeat (duplicates among the DCBX TLVs are the
    ///   DCBX agent's to judge, 802.1Qaz D.2).
    public init(decoding buffer: UnsafeRawBufferPointer) throws(LLDPDecodingError) {
        var offset = 0
        var chassisID: LLDPChassisID?
        var portID: LLDPPortID?
        var timeToLive: UInt16 = 0
        var mandatorySeen = 0
        var singletonsSeen: UInt16 = 0
        var tlvs: [LLDPTLV] = []
        while offset < buffer.count {
            guard buffer.count - offset >= 2 else { throw .truncatedHeader(offset: offset) }
            let header = buffer.loadBigEndianUInt16(at: offset)
            let type = UInt8(header >> 9)
            let length = Int(header & 0x1ff)
            let valueStart = offset + 2
            guard length <= buffer.count - valueStart else {
                throw .lengthPastEnd(type: type, offset: offset, length: length)
            }
            let valueEnd = valueStart + length
            guard valueEnd <= LLDPDU.maxLength else { throw .tooLong(length: valueEnd) }
            if type == LLDPTLVType.end {
                guard length == 0 else { throw .endWithLength(offset: offset, length: length) }
                break
            }
            if mandatorySeen < 3 {
                let expected = UInt8(mandatorySeen + 1)
                guard type == expected else { throw .mandatoryMissing(expected: expected, found: type, offset: offset) }
            }
            guard LLDPTLVType.allowedLengths(type).contains(length) else {
                throw .badLength(type: type, offset: offset, length: length)
            }
            let value = UnsafeRawBufferPointer(rebasing: buffer[valueStart..<valueEnd])
            switch type {
            case LLDPTLVType.chassisID, LLDPTLVType.portID, LLDPTLVType.timeToLive:
                guard mandatorySeen < 3 else { throw .duplicateMandatory(type: type, offset: offset) }
                if type == LLDPTLVType.timeToLive {
                    timeToLive = value.loadBigEndianUInt16(at: 0)
                } else {
                    let subtype = value[0]
                    let octets = Array(value[1...])
                    if type == LLDPTLVType.chassisID {
                        chassisID = LLDPChassisID.decode(subtype: subtype, octets: octets)
                        if chassisID == nil {
                            throw .badSubtypeLength(type: type, subtype: subtype, offset: offset, length: length)
                        }
                    } else {
                        portID = LLDPPortID.decode(subtype: subtype, octets: octets)
                        if portID == nil {
                            throw .badSubtypeLength(type: type, subtype: subtype, offset: offset, length: length)
                        }
                    }
                }
                mandatorySeen += 1
            case LLDPTLVType.portDescription...LLDPTLVType.systemCapabilities:
                let bit: UInt16 = 1 << type
                guard singletonsSeen & bit == 0 else { throw .duplicateTLV(type: type, offset: offset) }
                singletonsSeen |= bit
                switch type {
                case LLDPTLVType.portDescription: tlvs.append(.portDescription(LLDPText(octets: Array(value))))
                case LLDPTLVType.systemName: tlvs.append(.systemName(LLDPText(octets: Array(value))))
                case LLDPTLVType.systemDescription: tlvs.append(.systemDescription(LLDPText(octets: Array(value))))
                default:
                    tlvs.append(.systemCapabilities(LLDPSystemCapabilities(
                        supported: .init(rawValue: value.loadBigEndianUInt16(at: 0)),
                        enabled: .init(rawValue: value.loadBigEndianUInt16(at: 2)))))
                }
            case LLDPTLVType.managementAddress:
                tlvs.append(.managementAddress(try Self.managementAddress(value, offset: offset)))
            case LLDPTLVType.organizationallySpecific:
                tlvs.append(.organizational(try Self.organizational(value, offset: offset)))
            default:
                tlvs.append(.unknown(type: type, value: Array(value)))
            }
            offset = valueEnd
        }
        guard let chassisID, let portID, mandatorySeen == 3 else {
            throw .mandatoryMissing(expected: UInt8(mandatorySeen + 1), found: offset < buffer.count ? 0 : nil,
                                    offset: offset)
        }
        self.init(chassisID: chassisID, portID: portID, timeToLive: timeToLive, tlvs: tlvs)
    }

    /// Decodes the TLV area held in an array.
    public init(decoding bytes: [UInt8]) throws(LLDPDecodingError) {
        // withUnsafeBytes cannot carry a typed throw out of its closure: pass the result out.
        let result: Result<LLDPDU, LLDPDecodingError> = bytes.withUnsafeBytes { buffer in
            do throws(LLDPDecodingError) { return .success(try LLDPDU(decoding: buffer)) } catch { return .failure(error) }
        }
        self = try result.get()
    }

    /// Address string length (2–32: family + address), family, address, interface numbering
    /// subtype, interface number (4), OID length (0–128), OID; the lengths must add up to the TLV's.
    private static func managementAddress(_ value: UnsafeRawBufferPointer, offset: Int) throws(LLDPDecodingError) -> LLDPManagementAddress {
        let length = value.count
        let addressLength = Int(value[0])
        let family = length > 1 ? value[1] : 0
        let failure = LLDPDecodingError.badSubtypeLength(type: LLDPTLVType.managementAddress, subtype: family,
                                                         offset: offset, length: length)
        // The OID length octet sits at 1 + addressLength + 5: it must be inside the value.
        guard (2...32).contains(addressLength), 1 + addressLength + 6 <= length else { throw failure }
        let oidLength = Int(value[addressLength + 6])
        guard oidLength <= 128, addressLength + 7 + oidLength == length,
              let address = LLDPNetworkAddress.decode(family: family, octets: Array(value[2..<1 + addressLength]))
        else { throw failure }
        return LLDPManagementAddress(address: address, interfaceNumbering: value[1 + addressLength],
                                     interfaceNumber: value.loadBigEndianUInt32(at: 2 + addressLength),
                                     objectIdentifier: Array(value[(addressLength + 7)...]))
    }

    /// OUI (3), subtype, information; the 802.1 subtypes the switch speaks are typed.
    private static func organizational(_ value: UnsafeRawBufferPointer, offset: Int) throws(LLDPDecodingError) -> LLDPOrganizationalTLV {
        let oui = UInt32(value[0]) << 16 | UInt32(value[1]) << 8 | UInt32(value[2])
        let subtype = value[3]
        let info = UnsafeRawBufferPointer(rebasing: value[4...])
        guard oui == LLDPOrganizationalTLV.ieee8021 else {
            return .unknown(oui: oui, subtype: subtype, value: Array(info))
        }
        let failure = LLDPDecodingError.badOrganizationalLength(subtype: subtype, offset: offset, length: value.count)
        typealias Subtype = LLDPOrganizationalTLV.Subtype
        switch subtype {
        case Subtype.portVLANID:
            guard info.count == 2 else { throw failure }
            return .portVLANID(info.loadBigEndianUInt16(at: 0))
        case Subtype.vlanName:
            guard info.count >= 3, info[2] <= 32, info.count == 3 + Int(info[2]) else { throw failure }
            return .vlanName(vid: info.loadBigEndianUInt16(at: 0), name: LLDPText(octets: Array(info[3...])))
        case Subtype.etsConfiguration:
            guard info.count == 21 else { throw failure }
            let flags = info[0]
            let maxTrafficClasses = flags & 0x7 == 0 ? 8 : flags & 0x7
            return .etsConfiguration(ETSConfiguration(willing: flags & 0x80 != 0, creditBasedShaper: flags & 0x40 != 0,
                                                      maxTrafficClasses: maxTrafficClasses,
                                                      tables: ETSTables(wire: UnsafeRawBufferPointer(rebasing: info[1...]))))
        case Subtype.etsRecommendation:
            guard info.count == 21 else { throw failure }
            return .etsRecommendation(ETSTables(wire: UnsafeRawBufferPointer(rebasing: info[1...])))
        case Subtype.pfcConfiguration:
            guard info.count == 2 else { throw failure }
            let flags = info[0]
            return .pfcConfiguration(PFCConfiguration(willing: flags & 0x80 != 0, macsecBypassCapability: flags & 0x40 != 0,
                                                      capability: flags & 0xf, enabled: info[1]))
        case Subtype.applicationPriority:
            guard info.count >= 1, (info.count - 1) % 3 == 0 else { throw failure }
            var entries: [ApplicationPriorityEntry] = []
            entries.reserveCapacity((info.count - 1) / 3)
            for start in stride(from: 1, to: info.count, by: 3) {
                entries.append(ApplicationPriorityEntry(priority: info[start] >> 5, selector: info[start] & 0x7,
                                                        protocolID: info.loadBigEndianUInt16(at: start + 1)))
            }
            return .applicationPriority(ApplicationPriority(entries: entries))
        case Subtype.cdcp:
            guard info.count >= 4, (info.count - 4) % 3 == 0 else { throw failure }
            var channels: [CDCPTLV.Channel] = []
            channels.reserveCapacity((info.count - 4) / 3)
            for start in stride(from: 4, to: info.count, by: 3) {
                let pair = UInt32(info[start]) << 16 | UInt32(info[start + 1]) << 8 | UInt32(info[start + 2])
                channels.append(CDCPTLV.Channel(scid: UInt16(pair >> 12), svid: UInt16(pair & 0xfff)))
            }
            return .cdcp(CDCPTLV(role: info[0] >> 7 == 0 ? .bridge : .station, sComponent: info[0] & 0x08 != 0,
                                 channelCapacity: info.loadBigEndianUInt16(at: 2) & 0xfff, channels: channels))
        default:
            return .unknown(oui: oui, subtype: subtype, value: Array(info))
        }
    }
}
