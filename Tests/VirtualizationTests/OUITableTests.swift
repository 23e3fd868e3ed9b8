import Dataplane
import FrameTestSupport
import Testing
import Virtualization

@Suite struct OUITableTests {
    @Test func defaultsListEveryVendorFromTheSpec() {
        let expected: [UInt32: String] = [
            0x005056: "VMware", 0x000c29: "VMware", 0x000569: "VMware", 0x001c14: "VMware",
            0x00155d: "Microsoft Hyper-V", 0x0003ff: "Microsoft Hyper-V", 0x00163e: "Xen",
            0x525400: "QEMU/KVM", 0x080027: "Oracle VirtualBox", 0x001c42: "Parallels", 0x000f4b: "Virtual Iron",
        ]
        let table = OUITable.defaults
        #expect(table.count == expected.count)
        for (oui, vendor) in expected {
            #expect(table.vendor(forOUI: oui) == vendor)
            #expect(table.vendor(of: mac(oui: oui, 0x123456)) == vendor)
        }
        #expect(table.entries.map(\.oui) == expected.keys.sorted())
        #expect(table.vendor(of: station(1)) == nil)
    }

    @Test func setRenamesAndAddsAndRemoveDeletes() {
        var table = OUITable.defaults
        table.set(0x0a0b0c, vendor: "Lab")
        table.set(0x005056, vendor: "VMware ESX")
        #expect(table.vendor(of: mac(oui: 0x0a0b0c, 1)) == "Lab")
        #expect(table.vendor(forOUI: 0x005056) == "VMware ESX")
        let removed = table.remove(0x525400)
        let removedAgain = table.remove(0x525400)
        #expect(removed && !removedAgain)
        #expect(table.vendor(of: mac(oui: 0x525400, 1)) == nil)
        #expect(table.count == 11)
    }

    @Test func parsesAndFormatsOUIs() {
        #expect(OUITable.parseOUI("00:50:56") == 0x005056)
        #expect(OUITable.parseOUI("52-54-00") == 0x525400)
        #expect(OUITable.parseOUI("08002A") == 0x08002a)
        #expect(OUITable.parseOUI("00:50:5") == nil)
        #expect(OUITable.parseOUI("00:50:5g") == nil)
        #expect(OUITable.parseOUI("+0:50:56") == nil)
        #expect(OUITable.format(oui: 0x000c29) == "00:0c:29")
    }
}
