/// What `warren gc` removed (or, with --dry-run, would remove).
public struct GCReport: Sendable, Codable, Equatable {
    public var dryRun: Bool
    /// Unreferenced object files deleted, including deletions left queued by an
    /// interrupted prune or gc.
    public var freedObjects: Int
    public var freedBytes: Int64
    /// `object` rows added for referenced files that had none, and removed for objects
    /// that nothing references and whose file is gone.
    public var objectRowsAdded: Int
    public var objectRowsRemoved: Int
    /// Stale files removed from `tmp/`, and their bytes.
    public var removedTemporaryFiles: Int
    public var removedTemporaryBytes: Int64
    /// Files under `objects/` that are not objects: reported, never deleted.
    public var unexpectedFiles: [String]
    /// S3 repositories: unreferenced objects kept because they are younger than the safety
    /// window (another host's register may be uploading objects no manifest names yet).
    public var youngObjectsKept: Int = 0
    /// Packed S3 repositories: packs no index names (a writer killed between a pack's PUT
    /// and its index's) deleted, and their bytes; ``youngPacksKept`` were younger than the
    /// safety window (a writer may be about to PUT their index).
    public var unindexedPacksRemoved: Int = 0
    public var unindexedPackBytes: Int64 = 0
    public var youngPacksKept: Int = 0
}
