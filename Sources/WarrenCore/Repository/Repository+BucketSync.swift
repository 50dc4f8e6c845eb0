extension Repository {
    /// Brings this host's catalog cache of an S3 repository up to date with the bucket
    /// (backups, deletions, pins and policies of other hosts), under the cache's sync lock;
    /// nil for a local repository, whose catalog is the truth. A long-running `warren serve`
    /// calls it periodically (``ServeConfiguration/bucketSyncInterval``), the deleting
    /// commands once they hold the bucket's lock.
    /// - Throws: ``WarrenError/s3(_:)`` when the bucket cannot be read.
    @discardableResult
    public func synchroniseWithBucket() throws -> CatalogRebuilder.SyncReport? {
        guard isS3 else { return nil }
        return try S3Failure.wrapping {
            let cache = S3CatalogCache(directory: path)
            return try cache.withSyncLock { try CatalogRebuilder.synchronise(catalog, from: storage) }
        }
    }
}
