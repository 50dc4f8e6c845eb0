/// Counts the messages of a CQv2 queue directory (`N.qi` segments), replaying RabbitMQ
/// 3.10's dirty recovery (`rabbit_classic_queue_index_v2:recover_segments/5`,
/// `recover_segment/10`): a present entry comes back when it is persistent and its body is
/// in the shared store (location 1) or in the queue's `N.qs` (location 2). Transient
/// entries, and persistent ones with location 0 (`memory`: no body on disk), are dropped.
///
/// The broker reads `classic_queue_index_v2_segment_entry_count` (default 4096) entries per
/// segment from its configuration, not from the file; the header's `to_seq - from_seq`
/// records the value the file was written with, and must agree.
public struct ClassicQueueIndexV2Parser: Sendable {
    /// The broker's default `classic_queue_index_v2_segment_entry_count`.
    public static let defaultSegmentEntryCount = 4096

    /// Entries per segment, or `nil` to take it from the segment headers (they must agree).
    public var segmentEntryCount: Int?

    /// - Parameter segmentEntryCount: the broker's
    ///   `classic_queue_index_v2_segment_entry_count` if known; `nil` reads it from the
    ///   headers (`to_seq - from_seq`), which is what the writing broker used.
    public init(segmentEntryCount: Int? = nil) {
        self.segmentEntryCount = segmentEntryCount
    }

    /// Counts the messages a restore of this queue brings back.
    ///
    /// - Parameter segments: every `N.qi` file of the queue directory.
    /// - Throws: `IndexParseError` where the broker's recovery would crash or silently
    ///   discard a damaged file, or on data no broker writes.
    public func count(segments: [QueueIndexSegment]) throws(IndexParseError) -> QueueIndexCount {
        if let n = segmentEntryCount, !(1...(1 << 30)).contains(n) {
            throw IndexParseError(file: "classic_queue_index_v2_segment_entry_count", offset: 0,
                                  reason: .invalidSegmentEntryCount(n))
        }
        var tally = QueueIndexTally(version: 2)
        var files: [CQv2SegmentFile] = []
        var seen: Set<Int64> = []
        var entryCount = segmentEntryCount
        for segment in segments.sorted(by: { $0.number < $1.number }) {
            let name = "\(segment.number).qi"
            guard segment.number >= 0 else {
                throw IndexParseError(file: name, offset: 0, reason: .segmentNumberOutOfRange(segment.number))
            }
            guard seen.insert(segment.number).inserted else {
                throw IndexParseError(file: name, offset: 0, reason: .unexpectedFileName(name))
            }
            let file = try CQv2SegmentFile(fileName: name, segment: segment.number, bytes: segment.bytes)
            if let inHeader = file.headerEntryCount {
                if entryCount == nil { entryCount = inHeader }
                guard inHeader == entryCount else {
                    let from = IndexBytes.u64(segment.bytes, 5), to = IndexBytes.u64(segment.bytes, 13)
                    throw IndexParseError(file: name, offset: 5, reason: .headerMismatch(fromSeq: from, toSeq: to))
                }
            }
            tally.warn(file.warnings)
            files.append(file)
        }
        for file in files {
            try file.countEntries(entryCount: entryCount ?? Self.defaultSegmentEntryCount, into: &tally)
        }
        return tally.result()
    }
}
