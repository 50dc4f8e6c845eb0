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

        // Parse the journal first but report its error only after every segment file parsed
        // cleanly, as the broker's order (segments, then journal) would.
        var journalBySegment: [Int64: [Int: CQv1Journal.Slot]] = [:]
        var journalWarnings: [IndexParseWarning] = []
        var journalError: IndexParseError?
        if let journal {
            do {
                let parsed = try CQv1Journal(bytes: journal)
                journalWarnings = parsed.warnings
                for (seqID, slot) in parsed.slots {
                    journalBySegment[seqID / Int64(n), default: [:]][Int(seqID % Int64(n))] = slot
                }
            } catch {
                journalError = error
            }
        }

        // One segment at a time, in order: load the file (acked entries kept,
        // `load_segment(true, _)`), then `recover_journal/1` (journal minus segment) and
        // `recover_segment/4` (segment without acked entries, plus journal) for it. The
        // broker runs each step over all segments before the next, so the first error of
        // each step is kept and thrown in the broker's order at the end (file errors at
        // once: they come first).
        var segmentWarnings: [IndexParseWarning] = []
        var recoverJournalError: IndexParseError?
        var recoverSegmentError: IndexParseError?
        var slots = [CQv1SegmentFile.Slot](repeating: .empty, count: n)
        var previous: Int64?

        func recover(_ segment: Int64, file bytes: [UInt8]?) {
            guard journalError == nil, recoverJournalError == nil else { return }
            var journalSlots = journalBySegment[segment] ?? [:]
            let rels = journalSlots.keys.sorted()
            // `recover_journal/1` (slots hold the file's entries, acked ones kept).
            for rel in rels {
                let slot = journalSlots[rel]!
                let inFile = bytes.flatMap { CQv1SegmentFile.entry(slots[rel], in: $0) }
                switch CQv1Entry.journalMinusSegment(slot.entry, inFile) {
                case .keep: break
                case .remove: journalSlots[rel] = nil
                case .set(let entry): journalSlots[rel] = CQv1Journal.Slot(entry: entry, offset: slot.offset)
                case nil:
                    recoverJournalError = conflict(slot, segment, rel)
                    return
                }
            }
            guard recoverSegmentError == nil else { return }
            // `recover_segment/4`: the journal on top of the unacked file entries.
            for rel in rels {
                guard let slot = journalSlots[rel] else { continue }
                var inFile: CQv1Entry?
                if let bytes, slots[rel].flags & CQv1SegmentFile.Slot.acked == 0 {
                    inFile = CQv1SegmentFile.entry(slots[rel], in: bytes)
                }
                switch CQv1Entry.segmentPlusJournal(inFile, slot.entry) {
                case .keep: break
                case .remove: slots[rel] = .empty
                case .set(let entry):
                    if let publish = entry.publish {
                        var flags = CQv1SegmentFile.Slot.published
                        if publish.persistent { flags |= CQv1SegmentFile.Slot.persistent }
                        if !publish.embedded.isEmpty { flags |= CQv1SegmentFile.Slot.embedded }
                        slots[rel] = CQv1SegmentFile.Slot(bodyOffset: 0, payloadSize: publish.payloadSize, flags: flags)
                    } else {
                        slots[rel] = .empty
                    }
                case nil:
                    recoverSegmentError = conflict(slot, segment, rel)
                    return
                }
            }
            // What is left published and unacked.
            if bytes != nil || !rels.isEmpty {
                let base = segment * Int64(n)
                slots.withUnsafeBufferPointer { table in
                    for rel in 0..<n {
                        let flags = table[rel].flags
                        guard flags & CQv1SegmentFile.Slot.published != 0, flags & CQv1SegmentFile.Slot.acked == 0 else {
                            continue
                        }
                        guard flags & CQv1SegmentFile.Slot.persistent != 0 else {
                            tally.addDropped()
                            continue
                        }
                        tally.addMessage(
                            seqID: base + Int64(rel),
                            payloadSize: table[rel].payloadSize,
                            location: flags & CQv1SegmentFile.Slot.embedded != 0 ? .embedded : .sharedStore)
                    }
                }
            }
        }

        var journalOnly = journalBySegment.keys.sorted()[...]
        for segment in segments.sorted(by: { $0.number < $1.number }) {
            let name = "\(segment.number).idx"
            guard segment.number >= 0, segment.number <= (Int64.max - Int64(n)) / Int64(n) else {
                throw IndexParseError(file: name, offset: 0, reason: .segmentNumberOutOfRange(segment.number))
            }
            guard previous != segment.number else {
                throw IndexParseError(file: name, offset: 0, reason: .unexpectedFileName(name))
            }
            previous = segment.number
            // Segments only the journal touches, before this one.
            while let next = journalOnly.first, next <= segment.number {
                journalOnly.removeFirst()
                if next < segment.number {
                    slots.withUnsafeMutableBufferPointer { $0.update(repeating: .empty) }
                    recover(next, file: nil)
                }
            }
            segmentWarnings += try CQv1SegmentFile.parse(
                fileName: name, segment: segment.number, bytes: segment.bytes, segmentEntryCount: n, into: &slots)
            recover(segment.number, file: segment.bytes)
        }
        for next in journalOnly {
            slots.withUnsafeMutableBufferPointer { $0.update(repeating: .empty) }
            recover(next, file: nil)
        }
        if let error = journalError ?? recoverJournalError ?? recoverSegmentError { throw error }
        tally.warn(segmentWarnings)
        tally.warn(journalWarnings)
        return tally.result()
    }

    private func conflict(_ slot: CQv1Journal.Slot, _ segment: Int64, _ rel: Int) -> IndexParseError {
        IndexParseError(
            file: CQv1Journal.fileName, offset: slot.offset,
            reason: .journalSegmentConflict(seqID: segment * Int64(segmentEntryCount) + Int64(rel)))
    }
}
