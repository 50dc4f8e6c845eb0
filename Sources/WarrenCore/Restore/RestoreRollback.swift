/// What `warren restore --rollback` did.
public struct RestoreRollback: Sendable, Codable, Equatable {
    public var node: String
    public var backup: Int64
    /// Vhost directories put back from the aside directory.
    public var restored: [String]
    /// Directories the interrupted restore had written, moved out of the way (kept).
    public var setAside: [String]
}
