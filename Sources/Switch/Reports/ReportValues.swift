import Foundation
import SwitchTypes

extension Timestamp {
    /// The time as JSON output gives it (RFC 3339, whole seconds as the text shows them).
    var date: Date { Date(timeIntervalSince1970: Double(seconds)) }
}
