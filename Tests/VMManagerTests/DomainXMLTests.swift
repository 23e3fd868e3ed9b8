import Frames
import Testing
import VMManager

/// What the switch reads from domain XML, and what it refuses.
@Suite struct DomainXMLTests {
    @Test func readsTheTestDriversXML() throws {
        let parsed = try DomainXML.parse(DomainXMLSamples.testDriver)
        #expect(parsed == DomainXML(name: "web1", uuid: "0b5e1f7c-1111-4a2b-8c3d-000000000001",
                                    macs: [MACAddress("52:54:00:aa:00:01")!, MACAddress("52:54:00:aa:00:02")!]))
    }

    @Test func readsOnlyTheDomainsOwnNameUUIDAndInterfaceMACs() throws {
        let parsed = try DomainXML.parse(DomainXMLSamples.decoys)
        #expect(parsed.name == "db-primary")
        #expect(parsed.uuid == "a1b2c3d4-e5f6-a7b8-c9d0-e1f2a3b4c5d6")
        // The duplicate (blanks around it) and the dotted form of the next address count once each.
        #expect(parsed.macs == [MACAddress("00:50:56:9c:00:c8")!, MACAddress("00:50:56:9c:00:c9")!])
        #expect(parsed.rejectedMACs == ["01:00:5e:00:00:01", "00:00:00:00:00:00", "52:54:00:zz:00:01",
                                        "(a <mac> without address)"])
    }

    @Test func uuidForms() {
        #expect(DomainXML.canonicalUUID("0B5E1F7C-1111-4A2B-8C3D-000000000001") == "0b5e1f7c-1111-4a2b-8c3d-000000000001")
        #expect(DomainXML.canonicalUUID(" 0b5e1f7c11114a2b8c3d000000000001\n") == "0b5e1f7c-1111-4a2b-8c3d-000000000001")
        #expect(DomainXML.canonicalUUID("0b5e1f7c-1111-4a2b-8c3d-00000000000") == nil)
        #expect(DomainXML.canonicalUUID("0b5e1f7c-1111-4a2b-8c3d-0000000000011") == nil)
        #expect(DomainXML.canonicalUUID("0b5e1f7c-1111-4a2b-8c3d-00000000000g") == nil)
        #expect(DomainXML.canonicalUUID("") == nil)
    }

    @Test func refusesWhatIsNotADomainWithANameAndUUID() {
        func failure(_ xml: String) -> DomainXML.Failure? {
            do { _ = try DomainXML.parse(xml); return nil } catch { return error }
        }
        #expect(failure("<network><name>n</name><uuid>0b5e1f7c-1111-4a2b-8c3d-000000000001</uuid></network>")
                == .notADomain(root: "network"))
        #expect(failure("<domain><uuid>0b5e1f7c-1111-4a2b-8c3d-000000000001</uuid></domain>") == .missingName)
        #expect(failure("<domain><name>  </name><uuid>0b5e1f7c-1111-4a2b-8c3d-000000000001</uuid></domain>") == .missingName)
        #expect(failure("<domain><name>a</name></domain>") == .missingUUID)
        #expect(failure("<domain><name>a</name><uuid>nope</uuid></domain>") == .badUUID("nope"))
        for malformed in ["", "   ", "<domain>", "<domain><name>a</name>", "not xml", "<a></b>", "<domain/><domain/>"] {
            guard case .malformed = failure(malformed) else {
                Issue.record("\"\(malformed)\" was not refused as malformed: \(String(describing: failure(malformed)))")
                continue
            }
        }
    }

    @Test func refusesHugeAndDeepDocumentsWithoutReadingThem() {
        let huge = "<domain><name>" + String(repeating: "x", count: DomainXML.maximumLength) + "</name></domain>"
        #expect(throws: DomainXML.Failure.tooLarge(bytes: huge.utf8.count)) { try DomainXML.parse(huge) }
        let deep = "<domain>" + String(repeating: "<a>", count: 5000) + String(repeating: "</a>", count: 5000) + "</domain>"
        #expect(throws: DomainXML.Failure.self) { try DomainXML.parse(deep) }
        // Many interfaces: refused past the bound, not collected forever.
        let many = "<domain><name>a</name><uuid>0b5e1f7c-1111-4a2b-8c3d-000000000001</uuid><devices>"
            + String(repeating: "<interface><mac address='02:00:00:00:00:01'/></interface>", count: 5000) + "</devices></domain>"
        #expect(throws: DomainXML.Failure.self) { try DomainXML.parse(many) }
    }

    /// Entities from a hypervisor are never fetched, and an exponential one does not blow up.
    @Test func entitiesAreNotResolvedOrExpandedWithoutBound() {
        let external = """
            <?xml version="1.0"?>
            <!DOCTYPE domain [<!ENTITY x SYSTEM "file:///etc/hostname">]>
            <domain><name>a&x;</name><uuid>0b5e1f7c-1111-4a2b-8c3d-000000000001</uuid></domain>
            """
        #expect((try? DomainXML.parse(external))?.name == "a")
        var laughs = "<?xml version=\"1.0\"?>\n<!DOCTYPE domain [\n<!ENTITY l0 \"lol\">\n"
        for level in 1...12 {
            laughs += "<!ENTITY l\(level) \"" + String(repeating: "&l\(level - 1);", count: 10) + "\">\n"
        }
        laughs += "]>\n<domain><name>&l12;</name><uuid>0b5e1f7c-1111-4a2b-8c3d-000000000001</uuid></domain>"
        // Left unexpanded, the name is empty; libxml2 may also refuse the amplification outright.
        #expect(throws: DomainXML.Failure.self) { try DomainXML.parse(laughs) }
    }

    /// Found by the fuzzing: FoundationXML's XMLParser crashed on a processing instruction
    /// without data (it reads libxml2's NULL as a C string), hence libxml2 directly.
    @Test func processingInstructionsWithoutData() throws {
        let xml = DomainXMLSamples.testDriver.replacingOccurrences(of: "<devices>", with: "<?x?><devices><?y?>")
        #expect(try DomainXML.parse(xml).macs.count == 2)
    }
}
