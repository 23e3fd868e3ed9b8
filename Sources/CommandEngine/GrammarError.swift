/// A mistake in a grammar file, located to the line that holds it.
public struct GrammarError: Error, Sendable, CustomStringConvertible, Equatable {
    public let location: SourceLocation
    public let message: String

    public init(_ location: SourceLocation, _ message: String) {
        self.location = location
        self.message = message
    }

    /// The compiler-style form (`file:line: error: message`) that editors and CI logs understand.
    public var description: String { "\(location): error: \(message)" }
}
