/// One numbered index segment file of a queue directory, already read into memory:
/// `N.idx` for CQv1, `N.qi` for CQv2.
public struct QueueIndexSegment: Sendable, Equatable {
    /// The segment number `N` from the file name.
    public var number: Int64
    /// The whole file.
    public var bytes: [UInt8]

    /// Creates a segment from its number and contents.
    public init(number: Int64, bytes: [UInt8]) {
        self.number = number
        self.bytes = bytes
    }
}
