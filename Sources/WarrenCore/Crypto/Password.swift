/// A password as given by the operator (UTF-8 bytes). It never prints: its description is
/// a placeholder, so it cannot end up in a log or an error message by accident.
public struct Password: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible {
    let bytes: [UInt8]

    public init(_ text: String) { bytes = Array(text.utf8) }

    init(bytes: [UInt8]) { self.bytes = bytes }

    public var isEmpty: Bool { bytes.isEmpty }

    public var description: String { "<password>" }
    public var debugDescription: String { "<password>" }
}
