/// The ACLs compiled for the forwarding path: every rule by number, the ports'
/// lists of active rules, and the hit counters of rules with `statistics`.
///
/// Lists are ACL numbers in ascending order, active rules only (an inactive
/// rule matches nothing, so dropping it at compile time changes no outcome).
/// Storage is reallocated only by configuration; evaluation allocates nothing.
final class ACLTable {
    let portCount: Int
    /// True when some port has an active ACL: the forwarding path then evaluates them.
    private(set) var hasPortACLs = false
    /// Index = ACL number, 0...512 (0 unused; 257-512 the switch's own).
    private let rules: UnsafeMutablePointer<CompiledACLRule>
    /// Hits per ACL number of rules with `statistics`; kept across recompiles.
    private let hits: UnsafeMutablePointer<UInt64>
    /// Per port (index = port, 0 unused): where its list starts in `portLists` and its length.
    private let portListStart: UnsafeMutablePointer<Int32>
    private let portListCount: UnsafeMutablePointer<Int32>
    private var portLists: UnsafeMutablePointer<UInt16>
    /// Per port (index = port, 0 unused): its list as a `PortACLSummary` when it fits one.
    private let portSummaries: UnsafeMutablePointer<PortACLSummary>
    /// The numbers with `statistics` set, for `hitCounts()`.
    private var countedNumbers: [Int] = []

    private static let slots = ACLRule.allNumbers.upperBound + 1

    init(portCount: Int) {
        self.portCount = portCount
        rules = .allocate(capacity: ACLTable.slots)
        rules.initialize(repeating: CompiledACLRule(), count: ACLTable.slots)
        hits = .allocate(capacity: ACLTable.slots)
        hits.initialize(repeating: 0, count: ACLTable.slots)
        portListStart = .allocate(capacity: portCount + 1)
        portListStart.initialize(repeating: 0, count: portCount + 1)
        portListCount = .allocate(capacity: portCount + 1)
        portListCount.initialize(repeating: 0, count: portCount + 1)
        portLists = .allocate(capacity: 1)
        portSummaries = .allocate(capacity: portCount + 1)
        portSummaries.initialize(repeating: PortACLSummary([], rules: rules), count: portCount + 1)
    }

    deinit {
        rules.deallocate()
        hits.deallocate()
        portListStart.deallocate()
        portListCount.deallocate()
        portLists.deallocate()
        portSummaries.deallocate()
    }

    /// Recompiles every rule and port list from `configuration`. Hits of ACLs that
    /// no longer exist or no longer count are zeroed, so a re-created ACL starts at 0.
    func compile(_ configuration: BridgeConfiguration) {
        for number in 1..<ACLTable.slots {
            if let rule = configuration.acls[number], rule.isActive {
                rules[number] = CompiledACLRule(rule)
            } else {
                rules[number] = CompiledACLRule()
            }
            if configuration.acls[number]?.statistics != true { hits[number] = 0 }
        }
        countedNumbers = configuration.acls.filter(\.value.statistics).keys.sorted()
        var flat: [UInt16] = []
        for port in 1...portCount {
            let list = activeList(configuration.switchportACLs(ofBridgePort: port), in: configuration)
            portListStart[port] = Int32(flat.count)
            portListCount[port] = Int32(list.count)
            portSummaries[port] = PortACLSummary(list, rules: rules)
            flat += list
        }
        hasPortACLs = !flat.isEmpty
        portLists.deallocate()
        portLists = .allocate(capacity: max(1, flat.count))
        if !flat.isEmpty { portLists.initialize(from: flat, count: flat.count) }
    }

    /// `numbers` sorted, deduplicated, active rules only.
    func activeList(_ numbers: [Int], in configuration: BridgeConfiguration) -> [UInt16] {
        activeList(numbers, rules: configuration.acls)
    }

    /// `numbers` sorted, deduplicated, those of active `rules` only. Lists are short:
    /// sorting and dropping neighbours costs less than a set (one list per station).
    func activeList(_ numbers: [Int], rules: [Int: ACLRule]) -> [UInt16] {
        var list: [UInt16] = []
        list.reserveCapacity(numbers.count)
        for number in numbers.sorted() where rules[number]?.isActive == true && UInt16(exactly: number) != list.last {
            list.append(UInt16(number))
        }
        return list
    }

    /// True when `port` has active ACLs.
    @inline(__always)
    func hasACLs(port: Int) -> Bool { portListCount[port] != 0 }

    /// `port`'s list summarized, or `PortACLSummary.general`.
    @inline(__always)
    func summary(port: Int) -> PortACLSummary { portSummaries[port] }

    /// Counts a hit of rule `number`, which has `statistics`.
    @inline(__always)
    func countHit(_ number: Int) { hits[number] &+= 1 }

    /// Evaluates `port`'s list.
    @inline(__always)
    func evaluate(port: Int, _ fields: ACLFrameFields) -> ACLVerdict {
        evaluate(portLists + Int(portListStart[port]), count: Int(portListCount[port]), fields)
    }

    /// Evaluates a list of ACL numbers in order: the first matching rule decides,
    /// and counts the hit when it has `statistics`. Link-layer rules are matched
    /// here; from the first rule that needs the network layer on, the rest of the
    /// list goes to `evaluateWithNetworkLayer`, which parses it once.
    @inline(__always)
    func evaluate(_ list: UnsafePointer<UInt16>, count: Int, _ fields: ACLFrameFields) -> ACLVerdict {
        var index = 0
        while index < count {
            let number = Int(list[index])
            // Through the pointer: a rule is 64 bytes, not worth copying to test it.
            let rule = rules + number
            if rule.pointee.matchesLinkLayer(fields) {
                if rule.pointee.needsNetworkLayer {
                    return evaluateWithNetworkLayer(list + index, count: count &- index, fields)
                }
                return decide(number)
            }
            index &+= 1
        }
        return .noMatch
    }

    @inline(never)
    private func evaluateWithNetworkLayer(_ list: UnsafePointer<UInt16>, count: Int,
                                          _ fields: ACLFrameFields) -> ACLVerdict {
        var network = ACLNetworkFields()
        for index in 0..<count {
            let number = Int(list[index])
            let rule = rules + number
            if rule.pointee.matchesLinkLayer(fields),
               !rule.pointee.needsNetworkLayer || rule.pointee.matchesNetworkLayer(fields, &network) {
                return decide(number)
            }
        }
        return .noMatch
    }

    /// How `list` specializes for frames sent by `source`: how many rules at its
    /// head cannot match them (their source MAC filter excludes `source`), and
    /// whether the next one matches them all (it filters on the source MAC alone).
    func specialize(_ list: [UInt16], forSource source: UInt64) -> (skip: Int, decided: Bool) {
        for (index, number) in list.enumerated() {
            let rule = rules[Int(number)]
            if (source ^ rule.sourceMAC) & rule.sourceMACMask != 0 { continue }
            return (index, rule.destinationMACMask == 0 && rule.layers == 0)
        }
        return (list.count, false)
    }

    /// The compiled rule `number` (an inactive placeholder when it is not active).
    func rule(_ number: Int) -> CompiledACLRule { rules[number] }

    /// The verdict of rule `number`, which matched: its hit is counted.
    @inline(__always)
    func decide(_ number: Int) -> ACLVerdict {
        let rule = rules + number
        if rule.pointee.statistics { hits[number] &+= 1 }
        return rule.pointee.deny ? .deny : .permit
    }

    /// Hits per ACL number, for every ACL with `statistics`.
    func hitCounts() -> [Int: UInt64] {
        Dictionary(uniqueKeysWithValues: countedNumbers.map { ($0, hits[$0]) })
    }

    /// Zeroes every hit counter.
    func clearHits() { hits.update(repeating: 0, count: ACLTable.slots) }
}
