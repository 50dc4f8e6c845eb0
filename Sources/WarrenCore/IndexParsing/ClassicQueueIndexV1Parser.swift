/// Counts the messages of a CQv1 queue directory (`N.idx` segments plus `journal.jif`),
/// replaying what RabbitMQ 3.10 does when it recovers the queue
/// (`rabbit_queue_index:init_dirty/4`):
///
/// 1. load the journal (`load_journal/1`, `add_to_journal/3`);
/// 2. for each segment the journal touches, drop from the journal what the segment already
///    holds (`recover_journal/1`, `journal_minus_segment/3`);
/// 3. for every segment (files and journal), apply the journal on top of the segment with
///    acked entries removed (`recover_segment/4`, `segment_plus_journal/2`);
/// 4. what is left published and unacked comes back, except transient messages: the
///    broker's contains-check (`rabbit_variable_queue:init/6`) is
///    `rabbit_msg_store:contains/2` on the persistent store for ids (transient bodies went to
///    the transient store, wiped at start) and `#basic_message.is_persistent` for embedded
///    bodies, and after a clean stop `betas_from_index_entries/4` acks transient entries
///    below the recovered `next_seq_id`. So only persistent publishes are counted;
///    delivered-but-unacked ones are (they are requeued).
///
/// An embedded body's own `is_persistent` is assumed equal to the record's persistent bit
/// (both are the message's delivery mode for the durable queues that are recovered).
public struct ClassicQueueIndexV1Parser: Sendable {
    /// Used when the vhost's `.config` is absent (`rabbit_vhost:read_config/1`).
    public static let defaultSegmentEntryCount = 16384

    /// Entries per segment: `segment_entry_count` from the vhost's `.config`.
    public var segmentEntryCount: Int

    /// - Parameter segmentEntryCount: from the vhost's `.config`
    ///   (`{segment_entry_count, 2048}.`); 16384 when that file is absent. Must be in
    ///   1...16384 (relative sequence ids have 14 bits).
    public init(segmentEntryCount: Int = ClassicQueueIndexV1Parser.defaultSegmentEntryCount) {
        self.segmentEntryCount = segmentEntryCount
    }

    /// Counts the messages a restore of this queue brings back.
    ///
    /// - Parameters:
    ///   - segments: every `N.idx` file of the queue directory.
    ///   - journal: the contents of `journal.jif`, or `nil` when there is none.
    /// - Throws: `IndexParseError` where the broker's recovery would crash, or on data no
    ///   broker writes (see `IndexParseError.Reason`).
    public func count(segments: [QueueIndexSegment], journal: [UInt8]?) throws(IndexParseError) -> QueueIndexCount {
        let n = segmentEntryCount
        guard (1...16384).contains(n) else {
            throw IndexParseError(file: ".config", offset: 0, reason: .invalidSegmentEntryCount(n))
        }
        var tally = QueueIndexTally(version: 1)

        // Segment files, acked entries kept (`load_segment(true, _)`).
        var files: [Int64: [Int: CQv1Entry]] = [:]
        for segment in segments.sorted(by: { $0.number < $1.number }) {
            let name = "\(segment.number).idx"
            guard segment.number >= 0, segment.number <= (Int64.max - Int64(n)) / Int64(n) else {
                throw IndexParseError(file: name, offset: 0, reason: .segmentNumberOutOfRange(segment.number))
            }
            guard files[segment.number] == nil else {
                throw IndexParseError(file: name, offset: 0, reason: .unexpectedFileName(name))
            }
            let file = try CQv1SegmentFile(fileName: name, segment: segment.number, bytes: segment.bytes, segmentEntryCount: n)
            files[segment.number] = file.entries
            tally.warn(file.warnings)
        }

        // Journal, grouped by segment.
        var journalBySegment: [Int64: [Int: CQv1Journal.Slot]] = [:]
        if let journal {
            let parsed = try CQv1Journal(bytes: journal)
            tally.warn(parsed.warnings)
            for (seqID, slot) in parsed.slots {
                journalBySegment[seqID / Int64(n), default: [:]][Int(seqID % Int64(n))] = slot
            }
        }

        // `recover_journal/1`: journal minus segment, for segments the journal touches.
        for segment in journalBySegment.keys.sorted() {
            let inFile = files[segment] ?? [:]
            var slots = journalBySegment[segment]!
            for rel in slots.keys.sorted() {
                let slot = slots[rel]!
                switch CQv1Entry.journalMinusSegment(slot.entry, inFile[rel]) {
                case .keep: break
                case .remove: slots[rel] = nil
                case .set(let entry): slots[rel] = CQv1Journal.Slot(entry: entry, offset: slot.offset)
                case nil: throw conflict(slot, segment, rel)
                }
            }
            journalBySegment[segment] = slots
        }

        // `recover_segment/4`: segment without acked entries, plus journal.
        let allSegments = Set(files.keys).union(journalBySegment.keys).sorted()
        for segment in allSegments {
            var entries = (files[segment] ?? [:]).filter { !$0.value.acked }
            let slots = journalBySegment[segment] ?? [:]
            for rel in slots.keys.sorted() {
                let slot = slots[rel]!
                switch CQv1Entry.segmentPlusJournal(entries[rel], slot.entry) {
                case .keep: break
                case .remove: entries[rel] = nil
                case .set(let entry): entries[rel] = entry
                case nil: throw conflict(slot, segment, rel)
                }
            }
            for rel in entries.keys.sorted() {
                guard let publish = entries[rel]!.publish else { continue }
                guard publish.persistent else {
                    tally.addDropped()
                    continue
                }
                tally.addMessage(
                    seqID: segment * Int64(n) + Int64(rel),
                    payloadSize: publish.payloadSize,
                    location: publish.embedded.isEmpty ? .sharedStore : .embedded)
            }
        }
        return tally.result()
    }

    private func conflict(_ slot: CQv1Journal.Slot, _ segment: Int64, _ rel: Int) -> IndexParseError {
        IndexParseError(
            file: CQv1Journal.fileName, offset: slot.offset,
            reason: .journalSegmentConflict(seqID: segment * Int64(segmentEntryCount) + Int64(rel)))
    }
}
