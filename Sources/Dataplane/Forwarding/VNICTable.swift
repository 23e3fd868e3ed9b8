import SwitchTypes

/// The vNIC configuration compiled for the forwarding path (`VNICLayout`, flattened
/// into preallocated arrays): per physical port its role and the S-VIDs it
/// recognises, per bridge port its vNIC's port, S-VID, group VLAN and bandwidth
/// buckets. Indexed by port number (0 unused), sized for every bridge port there
/// can be, so recompiling allocates nothing the forwarding path reads through.
final class VNICTable {
    /// `VNICLayout.Role` as one byte.
    enum Kind: UInt8 {
        case plain, switchMode, ioExtender, upstream, groupUplink
    }

    /// An S-VID a port recognises.
    struct Route {
        var svid: UInt16
        /// The vNIC's bridge port number.
        var number: UInt8
        /// The physical port the frame belongs to (an upstream: the io-extender port).
        var port: UInt8
    }

    static let slots = BridgeConfiguration.maximumPorts + 1

    /// Per physical port.
    private let kinds: UnsafeMutablePointer<Kind>
    private let upstreams: UnsafeMutablePointer<UInt8>
    /// Per S-VID and physical port (index = S-VID × `slots` + port): the route, number 0
    /// for none. One load, where searching a port's routes would mispredict a branch per
    /// frame; S-VID-major, so the few S-VIDs in use share a few cache lines (port-major,
    /// the ports' entries would be 4 KiB apart and evict each other from the L1 cache).
    private let routes: UnsafeMutablePointer<Route>
    /// Per bridge port: the group VLAN a vNIC or an uplink switches in, 0 for none.
    private let groupVLANs: UnsafeMutablePointer<UInt16>
    /// Per vNIC bridge port: its physical port and S-VID.
    private let parents: UnsafeMutablePointer<UInt8>
    private let svids: UnsafeMutablePointer<UInt16>
    /// Per vNIC bridge port: its bandwidth, from the vNIC and towards it.
    private let bandwidth: UnsafeMutablePointer<VNICPolicer>
    /// The bridge ports' names, by number (index 0 unused); for reports.
    private(set) var names: [BridgePort] = []
    /// The numbers of the configured vNICs, in order.
    private(set) var vnicNumbers: [Int] = []

    init() {
        let slots = VNICTable.slots
        kinds = .allocate(capacity: slots)
        kinds.initialize(repeating: .plain, count: slots)
        upstreams = .allocate(capacity: slots)
        upstreams.initialize(repeating: 0, count: slots)
        routes = .allocate(capacity: 4096 * slots)
        routes.initialize(repeating: Route(svid: 0, number: 0, port: 0), count: 4096 * slots)
        groupVLANs = .allocate(capacity: slots)
        groupVLANs.initialize(repeating: 0, count: slots)
        parents = .allocate(capacity: slots)
        parents.initialize(repeating: 0, count: slots)
        svids = .allocate(capacity: slots)
        svids.initialize(repeating: 0, count: slots)
        bandwidth = .allocate(capacity: slots)
        bandwidth.initialize(repeating: VNICPolicer(nil, at: 0), count: slots)
    }

    deinit {
        kinds.deallocate()
        upstreams.deallocate()
        routes.deallocate()
        groupVLANs.deallocate()
        parents.deallocate()
        svids.deallocate()
        bandwidth.deallocate()
    }

    /// Bucket depth for a vNIC's rate: a millisecond of it, and at least two full frames.
    static func bucket(rateKbps: Int) -> Policer.Bucket {
        Policer.Bucket(rateKbps: rateKbps, bytes: max(2 * 1522, rateKbps / 8))
    }

    /// Recompiles from `configuration`. A vNIC whose rate is unchanged keeps its
    /// buckets' state; a new or changed one starts full at `time`.
    func compile(_ configuration: BridgeConfiguration, layout: VNICLayout, time: UInt64) {
        let slots = VNICTable.slots
        kinds.update(repeating: .plain, count: slots)
        upstreams.update(repeating: 0, count: slots)
        routes.update(repeating: Route(svid: 0, number: 0, port: 0), count: 4096 * slots)
        groupVLANs.update(repeating: 0, count: slots)
        for port in 1...configuration.portCount {
            switch layout.roles[port] {
            case .plain: break
            case .switchMode: kinds[port] = .switchMode
            case .ioExtender(let upstream):
                kinds[port] = .ioExtender
                upstreams[port] = UInt8(upstream)
            case .upstream: kinds[port] = .upstream
            case .groupUplink(let vlan):
                kinds[port] = .groupUplink
                groupVLANs[port] = vlan
            }
            for route in layout.routes[port] ?? [] {
                routes[Int(route.svid & 0xfff) * slots + port] = Route(svid: route.svid, number: UInt8(route.number),
                                                                       port: UInt8(route.port))
            }
        }
        var names = configuration.bridgePorts
        names.insert(BridgePort(port: 0), at: 0)
        self.names = names
        vnicNumbers = layout.logical.map(\.number)
        for logical in layout.logical {
            let number = logical.number
            parents[number] = UInt8(logical.name.port)
            svids[number] = logical.svid
            groupVLANs[number] = logical.isBridgePort ? logical.groupVLAN : 0
            let fresh = VNICPolicer(logical.rateKbps > 0 ? VNICTable.bucket(rateKbps: logical.rateKbps) : nil, at: time)
            if !fresh.hasSameBucket(as: bandwidth[number]) { bandwidth[number] = fresh }
        }
    }

    /// Whether vNIC bridge port `number`'s bucket from the vNIC holds `length` bytes at
    /// `time` (debited when it does).
    @inline(__always)
    func admitIngress(_ number: Int, length: Int, at time: UInt64) -> Bool {
        bandwidth[number].admitIngress(length: length, at: time)
    }

    /// `admitIngress` for the bucket towards the vNIC.
    @inline(__always)
    func admitEgress(_ number: Int, length: Int, at time: UInt64) -> Bool {
        bandwidth[number].admitEgress(length: length, at: time)
    }

    @inline(__always) func kind(of port: Int) -> Kind { kinds[port] }
    @inline(__always) func upstream(of port: Int) -> Int { Int(upstreams[port]) }
    @inline(__always) func groupVLAN(of port: Int) -> UInt16 { groupVLANs[port] }
    @inline(__always) func parent(of number: Int) -> Int { Int(parents[number]) }
    @inline(__always) func svid(of number: Int) -> UInt16 { svids[number] }

    /// The route `port` has for `svid`, nil when the S-VID is not one it recognises.
    @inline(__always)
    func route(port: Int, svid: UInt16) -> Route? {
        let route = routes[Int(svid & 0xfff) &* VNICTable.slots &+ port]
        return route.number == 0 ? nil : route
    }

    /// Bridge port `number`'s name ("1", "1.2").
    func name(of number: Int) -> BridgePort {
        number > 0 && number < names.count ? names[number] : BridgePort(port: number)
    }
}
