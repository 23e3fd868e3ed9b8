/// What an associated VSI of one type gets (`virt evb vsitype TYPEID version V`): its VLAN
/// and the policy profile the switch applies to its MAC/VID.
public struct VSIType: Hashable, Sendable {
    /// The VLAN a VSI of this type is on: fills a VID of 0 in the request, and any other VID
    /// must be this one. Nil: the station's VID stands (it may not be 0).
    public var vlan: UInt16?
    /// The profile (a VM group's policy) applied to the VSI's MAC/VID.
    public var profile: String?

    public init(vlan: UInt16? = nil, profile: String? = nil) {
        self.vlan = vlan
        self.profile = profile
    }
}

/// Where VDP looks VSI types up: the switch's own table now, a data-centre-wide one later
/// behind the same call. Called on the control-plane loop, so it must answer from memory
/// (a remote database keeps a local copy current through a queue, it never blocks here).
public protocol VSITypeDatabase: Sendable {
    /// The type `typeID` (24 bits) at `version`, nil when unknown.
    func lookup(typeID: UInt32, version: UInt8) -> VSIType?
}

/// The switch's own VSI types, as configured.
public struct LocalVSITypeDatabase: VSITypeDatabase, Hashable {
    public struct Key: Hashable, Sendable {
        public var typeID: UInt32
        public var version: UInt8

        public init(typeID: UInt32, version: UInt8) {
            self.typeID = typeID
            self.version = version
        }
    }

    public var types: [Key: VSIType]

    public init(types: [Key: VSIType] = [:]) { self.types = types }

    public func lookup(typeID: UInt32, version: UInt8) -> VSIType? { types[Key(typeID: typeID, version: version)] }

    public subscript(typeID: UInt32, version: UInt8) -> VSIType? {
        get { types[Key(typeID: typeID, version: version)] }
        set { types[Key(typeID: typeID, version: version)] = newValue }
    }
}
