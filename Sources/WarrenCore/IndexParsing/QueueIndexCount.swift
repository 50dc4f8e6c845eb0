/// What a classic queue's on-disk index says a restore brings back, computed offline from
/// the queue directory's index files (`N.idx` + `journal.jif` for CQv1, `N.qi` for CQv2).
///
/// The numbers follow RabbitMQ 3.10's recovery (`rabbit_queue_index:init_dirty/4` and
/// `rabbit_classic_queue_index_v2:recover_segments/5`), assuming every body the index points
/// at is present: whether an rdq store really holds the `inSharedStore` messages, and whether
/// the `.qs` files hold the `inQueueStore` ones, is for the caller to check.
///
/// Invariant: `messages == embeddedInIndex + inSharedStore + inQueueStore`.
public struct QueueIndexCount: Sendable, Codable, Equatable {
    /// 1 for CQv1 (`N.idx`, `journal.jif`), 2 for CQv2 (`N.qi`); `nil` when the directory
    /// holds no index file at all (an empty, purged or fully drained queue).
    public var indexVersion: Int?
    /// Persistent messages published and not acknowledged: what a restore brings back.
    /// Delivered-but-unacknowledged messages are included (they are requeued at recovery).
    public var messages: Int
    /// Sum of the payload (body) sizes of `messages`, as recorded in the index.
    public var payloadBytes: Int64
    /// Messages whose body is embedded in the index itself. CQv1 only (publish records with
    /// a non-zero embedded length, written for bodies below `queue_index_embed_msgs_below`);
    /// always 0 for CQv2, which never embeds bodies in `N.qi`.
    public var embeddedInIndex: Int
    /// Messages whose body lives in the vhost's shared `msg_store_persistent` (`N.rdq`):
    /// CQv1 publish records without embedded body, CQv2 entries with location type 1.
    public var inSharedStore: Int
    /// Messages whose body lives in the queue's own store (`N.qs`): CQv2 location type 2.
    public var inQueueStore: Int
    /// Entries present and unacknowledged in the index that the broker drops at recovery
    /// instead of bringing back: transient messages, and CQv2 persistent entries whose
    /// location is type 0 ("memory", no body on disk). Not part of `messages`.
    public var droppedAtRecovery: Int
    /// Smallest sequence id among `messages`; `nil` when there is none.
    public var oldestSeqID: Int64?
    /// Largest sequence id among `messages`; `nil` when there is none.
    public var newestSeqID: Int64?
    /// CQv2: the `N.qs` segment numbers referenced by the `inQueueStore` messages, sorted and
    /// unique. The broker drops a message whose `.qs` file is missing, so a verifier should
    /// check that each `N.qs` exists. Always empty for CQv1.
    public var referencedQueueStoreSegments: [Int64]
    /// Damage the broker tolerates silently (a truncated journal tail, an all-zero segment
    /// file, ...): the counts above already reflect how the broker treats it.
    public var warnings: [IndexParseWarning]

    /// Creates a count; every field defaults to "nothing".
    public init(
        indexVersion: Int? = nil,
        messages: Int = 0,
        payloadBytes: Int64 = 0,
        embeddedInIndex: Int = 0,
        inSharedStore: Int = 0,
        inQueueStore: Int = 0,
        droppedAtRecovery: Int = 0,
        oldestSeqID: Int64? = nil,
        newestSeqID: Int64? = nil,
        referencedQueueStoreSegments: [Int64] = [],
        warnings: [IndexParseWarning] = []
    ) {
        self.indexVersion = indexVersion
        self.messages = messages
        self.payloadBytes = payloadBytes
        self.embeddedInIndex = embeddedInIndex
        self.inSharedStore = inSharedStore
        self.inQueueStore = inQueueStore
        self.droppedAtRecovery = droppedAtRecovery
        self.oldestSeqID = oldestSeqID
        self.newestSeqID = newestSeqID
        self.referencedQueueStoreSegments = referencedQueueStoreSegments
        self.warnings = warnings
    }
}
