extension BackupManifest {
    /// A vhost directory under `msg_stores/vhosts/`.
    public struct StoredVHost: Codable, Sendable, Equatable {
        public var dirName: String
        /// From `.vhost`; nil when the file is missing.
        public var vhost: String?
        public var dirMatchesName: Bool
        /// From `.config`; nil when absent.
        public var segmentEntryCount: Int?

        enum CodingKeys: String, CodingKey {
            case vhost
            case dirName = "dir_name", dirMatchesName = "dir_matches_name", segmentEntryCount = "segment_entry_count"
        }
    }

    /// A queue directory, and what its index says a restore brings back.
    public struct StoredQueue: Codable, Sendable, Equatable {
        public var vhostDir: String
        public var dirName: String
        /// From `.queue_name`; nil when the file is missing.
        public var vhost: String?
        public var name: String?
        public var indexVersion: Int?
        public var dirMatchesName: Bool
        public var fileCount: Int
        public var bytes: Int64
        /// The level of a priority queue's sub-queue directory; nil otherwise.
        public var priority: Int?
        public var count: QueueCount

        enum CodingKeys: String, CodingKey {
            case vhost, name, bytes, priority, count
            case vhostDir = "vhost_dir", dirName = "dir_name", indexVersion = "index_version", dirMatchesName = "dir_matches_name"
            case fileCount = "file_count"
        }
    }

    /// The offline count of one queue (``QueueIndexCount``), or why it could not be made.
    public struct QueueCount: Codable, Sendable, Equatable {
        public var indexVersion: Int?
        /// nil when the index could not be read (see `error`).
        public var messages: Int?
        public var payloadBytes: Int64?
        public var embeddedInIndex: Int?
        public var inSharedStore: Int?
        public var inQueueStore: Int?
        public var droppedAtRecovery: Int?
        public var oldestSeqID: Int64?
        public var newestSeqID: Int64?
        /// Canonical JSON arrays, as the catalog holds them.
        public var qsSegments: String
        public var warnings: String
        public var error: String?

        enum CodingKeys: String, CodingKey {
            case messages, warnings, error
            case indexVersion = "index_version", payloadBytes = "payload_bytes", embeddedInIndex = "embedded_in_index"
            case inSharedStore = "in_shared_store", inQueueStore = "in_queue_store", droppedAtRecovery = "dropped_at_recovery"
            case oldestSeqID = "oldest_seq_id", newestSeqID = "newest_seq_id", qsSegments = "qs_segments"
        }
    }

    /// One stored file of `msg_stores/`.
    public struct File: Codable, Sendable, Equatable {
        /// Relative to `msg_stores/`, `/`-separated.
        public var path: String
        public var size: Int64
        /// The object holding its content.
        public var sha256: String
        public var kind: FileKind
        /// The vhost and queue directories it belongs to, when it is inside one.
        public var vhostDir: String?
        public var queueDir: String?
        /// Stat data of the source file (reuse of unchanged files by the next backup).
        public var mtimeNs: Int64?
        public var ctimeNs: Int64?
        public var inode: Int64?

        enum CodingKeys: String, CodingKey {
            case path, size, sha256, kind, inode
            case vhostDir = "vhost_dir", queueDir = "queue_dir", mtimeNs = "mtime_ns", ctimeNs = "ctime_ns"
        }
    }

    /// The broker's count of one queue at backup time.
    public struct ExpectedCount: Codable, Sendable, Equatable {
        public var vhost: String
        public var queue: String
        public var type: String?
        public var messages: Int64
    }

    /// Files plus messages: the totals on the backup row.
    var logicalBytes: Int64 { files.reduce(0) { $0 + $1.size } }

    /// nil when some queue's index could not be read.
    var messageTotals: (messages: Int?, bytes: Int64?) {
        var total: Int? = 0
        var bytes: Int64? = 0
        for queue in storedQueues {
            if let m = queue.count.messages {
                total = total.map { $0 + m }
                bytes = bytes.map { $0 + (queue.count.payloadBytes ?? 0) }
            } else {
                total = nil
                bytes = nil
            }
        }
        return (total, bytes)
    }

    /// The canonical order of every list (SQLite's BINARY collation: UTF-8 bytes), so that
    /// a manifest built at ingest and one read back from the catalog compare equal.
    func normalized() -> BackupManifest {
        var m = self
        m.inventory.vhosts.sort { UTF8Order.less([$0.name], [$1.name]) }
        m.inventory.queues.sort { UTF8Order.less([$0.vhost, $0.name], [$1.vhost, $1.name]) }
        m.inventory.exchanges.sort { UTF8Order.less([$0.vhost, $0.name], [$1.vhost, $1.name]) }
        m.inventory.policies.sort { UTF8Order.less([$0.vhost, $0.name], [$1.vhost, $1.name]) }
        m.storedVhosts.sort { UTF8Order.less([$0.dirName], [$1.dirName]) }
        m.storedQueues.sort { UTF8Order.less([$0.vhostDir, $0.dirName], [$1.vhostDir, $1.dirName]) }
        m.files.sort { UTF8Order.less([$0.path], [$1.path]) }
        m.expectedCounts.sort { UTF8Order.less([$0.vhost, $0.queue], [$1.vhost, $1.queue]) }
        m.brokerSurvey?.queues.sort { UTF8Order.less([$0.vhost, $0.name], [$1.vhost, $1.name]) }
        m.brokerSurvey?.exchanges.sort { UTF8Order.less([$0.vhost, $0.name], [$1.vhost, $1.name]) }
        return m
    }
}
