/// Everything a scan of `msg_stores/` found, before any file content is stored.
public struct StoreScan: Sendable {
    public struct File: Sendable {
        /// Relative to `msg_stores/`, `/`-separated, built from directory entries only.
        public var relativePath: String
        public var kind: FileKind
        public var size: Int64
        public var mtimeNs: Int64
        public var ctimeNs: Int64
        public var inode: UInt64
        public var vhostDir: String?
        public var queueDir: String?
    }

    public struct VHost: Sendable {
        public var dirName: String
        /// From `.vhost`; nil when the file is missing.
        public var name: String?
        /// From `.config`; nil when absent (the broker then assumes 16384).
        public var segmentEntryCount: Int?
        public var dirMatchesName: Bool
    }

    public struct Queue: Sendable {
        public var vhostDir: String
        public var dirName: String
        /// From `.queue_name`; nil when the file is missing.
        public var vhost: String?
        public var name: String?
        /// 1 or 2 (from `.queue_name`, else from the index files present); nil when unknown.
        public var indexVersion: Int?
        /// The level of a priority queue's sub-queue directory (from `.queue_name`); nil otherwise.
        public var priority: Int?
        public var dirMatchesName: Bool
        public var fileCount: Int
        public var bytes: Int64
    }

    public var vhosts: [VHost]
    public var queues: [Queue]
    public var files: [File]

    public var totalBytes: Int64 { files.reduce(0) { $0 + $1.size } }
}
