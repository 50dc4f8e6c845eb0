import Foundation

/// What ``PackedStorage/survey()`` reports to `gc` and `check`.
extension PackedStorage {
    /// One pack in the bucket, as listed.
    public struct ListedPack: Sendable, Equatable {
        public var id: String
        public var size: Int64
        public var modified: Date?
    }

    /// What the bucket's packs hold: every indexed object with its pack's `LastModified`,
    /// and the packs no index names (garbage once older than gc's safety window). An object
    /// whose index names a pack that is not there is not listed (so `check` reports it
    /// missing when a backup references it).
    public struct Survey: Sendable {
        public var objects: [(object: String, length: Int64, modified: Date?)] = []
        public var unindexed: [ListedPack] = []
        /// Indexes whose pack is not in the bucket.
        public var packless: [String] = []
    }
}
