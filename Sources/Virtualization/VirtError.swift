/// Why a VMready configuration change was refused; the change is not made.
public struct VirtError: Error, Hashable, Sendable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
