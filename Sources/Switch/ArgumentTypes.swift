import CommandEngine
import Frames
import SwitchTypes

/// The Swift types the generated argument structs give the grammar's parameter types, in
/// one place: the generated code names these aliases, never a module, so moving a type
/// (MACAddress to another module, say) is an edit here.
enum ArgumentTypes {
    typealias MAC = MACAddress
    typealias IPv4 = IPv4Address
    /// 24 bits, as the VM OUI table keys them.
    typealias OUI = UInt32
    /// Port numbers, sorted, without duplicates.
    typealias PortList = [BridgePort]
    /// VLAN IDs, sorted, without duplicates.
    typealias VLANList = [Int]
    /// One vNIC, `P.I`.
    typealias VNIC = BridgePort
}

extension ActionInput {
    func mac(_ name: String, orFromMode: Bool = false) -> ArgumentTypes.MAC? {
        lookup(orFromMode) { $0.mac(name) }.map(MACAddress.init(rawValue:))
    }

    func ipv4(_ name: String, orFromMode: Bool = false) -> ArgumentTypes.IPv4? {
        lookup(orFromMode) { $0.ipv4(name) }.map(IPv4Address.init(rawValue:))
    }

    func oui(_ name: String, orFromMode: Bool = false) -> ArgumentTypes.OUI? { lookup(orFromMode) { $0.oui(name) } }

    func vnic(_ name: String, orFromMode: Bool = false) -> ArgumentTypes.VNIC? {
        lookup(orFromMode) { $0.vnic(name) }.map { BridgePort(port: $0.port, vnic: $0.index) }
    }
}
