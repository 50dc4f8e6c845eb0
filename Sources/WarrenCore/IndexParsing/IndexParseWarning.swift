/// Damage in an index file that RabbitMQ tolerates without an error (it skips or deletes
/// the damaged part). Reported so a verifier can tell a pristine backup from a lucky one.
public struct IndexParseWarning: Sendable, Codable, Equatable, CustomStringConvertible {
    /// The file name inside the queue directory, e.g. `journal.jif` or `3.qi`.
    public var file: String
    /// Byte offset in `file` where the tolerated damage starts.
    public var offset: Int
    /// What the broker does with it, in words.
    public var message: String

    /// Creates a warning.
    public init(file: String, offset: Int, message: String) {
        self.file = file
        self.offset = offset
        self.message = message
    }

    /// `file@offset: message`.
    public var description: String { "\(file)@\(offset): \(message)" }
}
