/// Which conditional writes an S3 server honours, probed by `warren init`
/// (``S3Storage/probeConditionalWrites()``) and recorded in the repository's `config`: they
/// decide how put-if-absent is done and how the bucket lock (``BucketLock``) is taken.
public struct S3ConditionalWrites: Sendable, Codable, Equatable {
    /// A second `PUT` with `If-None-Match: *` of one key is refused (HTTP 412).
    public var ifNoneMatch: Bool
    /// A `PUT` with `If-Match: ETAG` of another version is refused (HTTP 412): a lock whose
    /// lease ran out is taken over, refreshed and released atomically.
    public var ifMatch: Bool

    public init(ifNoneMatch: Bool, ifMatch: Bool) {
        self.ifNoneMatch = ifNoneMatch
        self.ifMatch = ifMatch
    }

    /// What a repository whose `config` predates the probe is assumed to have: the
    /// `If-None-Match: *` it has always been written with, and no `If-Match`.
    public static let assumedForOldConfigs = S3ConditionalWrites(ifNoneMatch: true, ifMatch: false)

    /// How ``S3Storage`` does put-if-absent on this server.
    public var conditionalPut: S3Storage.ConditionalPut { ifNoneMatch ? .ifNoneMatch : .headThenPut }
}
