/// A concrete line for a grammar command, with sample parameter values: what the handler
/// coverage test, the fuzzer's seeds and the benchmarks feed the engine.
public struct CommandSample: Sendable, Hashable {
    public let mode: ModeID
    public let line: String
    public let action: String
}

extension CommandEngine {
    /// Every form of every command (optional parts in and out, each alternative), in each
    /// mode that declares it, with typical parameter values.
    public func samples() -> [CommandSample] {
        var out: [CommandSample] = []
        for def in definitions {
            let lines = Self.expand(def.syntax)
            for modeName in def.modes {
                guard let mode = mode(named: modeName) else { continue }
                for words in lines { out.append(CommandSample(mode: mode, line: words.joined(separator: " "), action: def.action)) }
            }
        }
        return out
    }

    static func expand(_ elements: [SyntaxElement]) -> [[String]] {
        var result: [[String]] = [[]]
        for e in elements {
            let options: [[String]]
            switch e {
            case .keyword(let k): options = [[k]]
            case .parameter(let t, _): options = [[sampleValue(t)]]
            case .group(let alternatives, let optional, _):
                options = (optional ? [[]] : []) + alternatives.flatMap { expand($0) }
            }
            result = result.flatMap { prefix in options.map { prefix + $0 } }
            if result.count > 64 { result = Array(result.prefix(64)) }
        }
        return result
    }

    static func sampleValue(_ t: ParameterType) -> String {
        switch t {
        case .integer(let r): return String(r.upperBound >= 100 && r.lowerBound <= 100 ? 100 : r.lowerBound)
        case .mac: return "00:50:56:9c:00:c8"
        case .oui: return "00:50:56"
        case .ipv4: return "198.18.0.1"
        case .portList: return "1-2"
        case .vlanList: return "1,100-101"
        case .vnic: return "1.2"
        case .word: return "sample"
        case .string: return "\"two words\""
        case .line: return "sample text"
        }
    }
}
