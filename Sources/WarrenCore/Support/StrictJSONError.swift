/// Why ``StrictJSON`` refused a document: what is wrong, where (the JSON location such as
/// `queues[3].arguments.x-max-length`, and line and column), in words an operator can act on.
public struct StrictJSONError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// An object holds the same key twice (RabbitMQ keeps the last, other readers the
        /// first: the two would disagree about what the file says).
        case duplicateKey(String)
        /// The bytes are not valid UTF-8.
        case invalidUTF8
        /// A number Warren cannot hold (beyond a 64-bit integer and a double's range);
        /// the associated value is its first digits.
        case numberOutOfRange(String)
        /// Nesting deeper than ``StrictJSON/maximumDepth``.
        case tooDeep
        /// Anything else that is not JSON (RFC 8259); the text says what was expected.
        case syntax(String)
    }

    public var kind: Kind
    /// The JSON location of the problem, e.g. `queues[3].name`; empty at the top level.
    public var location: String
    /// Byte offset, 1-based line and column (in bytes) of the problem.
    public var offset: Int
    public var line: Int
    public var column: Int

    public init(kind: Kind, location: String, offset: Int, line: Int, column: Int) {
        self.kind = kind
        self.location = location
        self.offset = offset
        self.line = line
        self.column = column
    }

    /// The key of a duplicate-key error.
    public var duplicateKey: String? {
        if case let .duplicateKey(key) = kind { return key }
        return nil
    }

    /// A predicate that follows the name of what was read: "PATH: <description>" or
    /// "the body <description>".
    public var description: String {
        let at = "line \(line), column \(column)"
        let inside = location.isEmpty ? "at the top level" : "in \(location)"
        switch kind {
        case let .duplicateKey(key):
            return "has the key \"\(key)\" more than once \(inside) (\(at)): RabbitMQ would use the last one and ignore the others, so the file does not say one thing; remove the extra \"\(key)\""
        case .invalidUTF8:
            return "is not valid UTF-8 at byte \(offset) (\(at), \(inside)): JSON must be UTF-8; the file was damaged or converted to another encoding (export it again)"
        case let .numberOutOfRange(digits):
            return "holds a number too large for Warren, \(digits), \(inside) (\(at)): numbers are kept as 64-bit integers or doubles (up to about 1.8e308); no RabbitMQ setting needs more, so the file was damaged or edited by hand"
        case .tooDeep:
            return "nests objects and arrays more than \(StrictJSON.maximumDepth) deep \(inside) (\(at)); no definitions export does"
        case let .syntax(problem):
            return "is not valid JSON: \(problem) \(inside) (\(at))"
        }
    }
}
