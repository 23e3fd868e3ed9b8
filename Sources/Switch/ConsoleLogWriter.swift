import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Syslog

/// Writes event lines to the switch's console (its stderr) from a thread of its own: a
/// console on a slow serial line, or a stderr nobody reads, must not make the code that
/// logs wait. Bounded: lines past `capacity` waiting are dropped and counted.
final class ConsoleLogWriter: Sendable {
    static let capacity = 1024
    private let queue = BoundedQueue<String>(capacity: ConsoleLogWriter.capacity)

    init(descriptor: Int32) {
        let thread = Thread { [queue] in
            func emit(_ line: String) {
                let bytes = Array((line + "\n").utf8)
                var offset = 0
                while offset < bytes.count {
                    let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress! + offset, $0.count - offset) }
                    if written < 0 && errno == EINTR { continue }
                    guard written > 0 else { break }
                    offset += written
                }
            }
            while !queue.isClosed {
                guard let line = queue.pop(timeout: 1) else { continue }
                emit(line)
            }
            // Lines logged before `no logging console` are the console's: a close that came
            // before this thread got to them must not lose them.
            queue.drain().forEach(emit)
        }
        thread.name = "vmready.console-log"
        thread.start()
    }

    func submit(_ line: String) { queue.push(line) }
    var dropped: Int { queue.droppedCount }
    func stop() { queue.close() }
}
