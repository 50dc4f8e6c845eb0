/// A queue index file the broker would refuse (its recovery crashes on it) or that no
/// broker writes: the backup of this queue cannot be trusted as is.
public struct IndexParseError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file name inside the queue directory (e.g. `0.idx`, `journal.jif`, `2.qi`), or the
    /// input that was wrong (`.config` for a bad segment entry count).
    public var file: String
    /// Byte offset in `file` of the offending record or field (0 when not about a record).
    public var offset: Int
    /// What is wrong.
    public var reason: Reason

    /// Creates an error.
    public init(file: String, offset: Int, reason: Reason) {
        self.file = file
        self.offset = offset
        self.reason = reason
    }

    /// `file@offset: reason`.
    public var description: String { "\(file)@\(offset): \(reason)" }
}
