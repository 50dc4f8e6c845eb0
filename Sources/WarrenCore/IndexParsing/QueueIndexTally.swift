/// Accumulates a `QueueIndexCount` while a parser walks the surviving entries.
struct QueueIndexTally {
    /// Where a surviving persistent message keeps its body.
    enum BodyLocation {
        case embedded
        case sharedStore
        case queueStore(segment: Int64)
    }

    private var count: QueueIndexCount
    private var queueStoreSegments: Set<Int64> = []

    init(version: Int) {
        count = QueueIndexCount(indexVersion: version)
    }

    mutating func addMessage(seqID: Int64, payloadSize: UInt32, location: BodyLocation) {
        count.messages += 1
        count.payloadBytes += Int64(payloadSize)
        switch location {
        case .embedded: count.embeddedInIndex += 1
        case .sharedStore: count.inSharedStore += 1
        case .queueStore(let segment):
            count.inQueueStore += 1
            queueStoreSegments.insert(segment)
        }
        count.oldestSeqID = min(count.oldestSeqID ?? seqID, seqID)
        count.newestSeqID = max(count.newestSeqID ?? seqID, seqID)
    }

    mutating func addDropped() {
        count.droppedAtRecovery += 1
    }

    mutating func warn(_ warnings: [IndexParseWarning]) {
        count.warnings.append(contentsOf: warnings)
    }

    func result() -> QueueIndexCount {
        var result = count
        result.referencedQueueStoreSegments = queueStoreSegments.sorted()
        return result
    }
}
