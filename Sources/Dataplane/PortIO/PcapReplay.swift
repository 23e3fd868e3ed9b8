import SwitchTypes

/// Replays capture files into a pipeline, one file per ingress port, merged
/// by timestamp, with the switch clock following the capture timestamps so
/// that learning and ageing are deterministic.
public struct PcapReplay {
    private var sources: [(port: Int, reader: PcapFileReader)]

    /// Opens one file per port.
    /// - Throws: `DataplaneError` when a file cannot be read.
    public init(files: [Int: String]) throws(DataplaneError) {
        sources = []
        for (port, path) in files.sorted(by: { $0.key < $1.key }) {
            sources.append((port, try PcapFileReader(path: path)))
        }
    }

    /// Wraps already opened readers (ports in any order).
    init(readers: [(port: Int, reader: PcapFileReader)]) {
        sources = readers.sorted { $0.port < $1.port }
    }

    /// Processes every frame of every file in timestamp order (ties go to the
    /// lower port, for a stable order), setting `clock` to each frame's time.
    /// - Returns: the number of frames replayed.
    /// - Parameters:
    ///   - untilEachFrame: called with each frame's time before the clock is set to it, so
    ///     what is due on the clock before the frame (protocol timers) runs first.
    ///   - afterEachFrame: called after each frame, before the next one's time is set.
    @discardableResult
    public mutating func run(into pipeline: ForwardingPipeline, clock: VirtualClock,
                             untilEachFrame: ((Timestamp) -> Void)? = nil, afterEachFrame: (() -> Void)? = nil) -> Int {
        // The head frame of each file; its buffer stays valid until that reader advances.
        var heads = sources.map { $0.reader.next() }
        var replayed = 0
        while true {
            var earliest: Int?
            for index in heads.indices {
                guard let head = heads[index] else { continue }
                if let current = earliest, let best = heads[current], best.time <= head.time { continue }
                earliest = index
            }
            guard let index = earliest, let head = heads[index] else { break }
            untilEachFrame?(head.time)
            clock.set(head.time)
            pipeline.process(frame: head.frame, ingressPort: sources[index].port)
            replayed += 1
            afterEachFrame?()
            heads[index] = sources[index].reader.next()
        }
        return replayed
    }
}
