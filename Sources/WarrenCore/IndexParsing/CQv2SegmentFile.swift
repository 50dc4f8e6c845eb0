/// Reads one CQv2 segment file `N.qi` the way
/// `rabbit_classic_queue_index_v2:recover_segments/5` and `recover_segment/10` do.
///
/// Header (64 bytes): magic `RCQI`, version u8 = 2, from_seq u64, to_seq u64, zero padding.
/// Then 32-byte entries at `64 + (seq mod entries) × 32`: status u8 (0 absent, 1 present),
/// flags u8 (bit 0 persistent), a zero byte, a 17-byte location, payload size u32, expiry
/// u64. Locations (`build_entry/1`): type 0 + 16 zero bytes = `memory` (no body on disk),
/// type 1 + 16-byte msg id = shared `msg_store_persistent`, type 2 + offset u64 + size u32 +
/// 4 zero bytes = the queue's own `N.qs` (same segment number as the `.qi`).
///
/// Tolerated as the broker does: an empty or all-zero file, or a header cut short (the
/// broker deletes the file); a file that ends early on an entry boundary (missing entries
/// are absent); zero bytes after the last entry slot (never read). A last entry cut short
/// is an error: the broker's recovery accepts some, but reading the queue then crashes.
struct CQv2SegmentFile {
    static let magic: UInt32 = 0x5243_5149 // "RCQI"
    static let headerSize = 64
    static let entrySize = 32

    let fileName: String
    let segment: Int64
    let bytes: [UInt8]
    /// `to_seq - from_seq` from the header; `nil` when the broker would discard the file.
    private(set) var headerEntryCount: Int?
    private(set) var warnings: [IndexParseWarning] = []

    init(fileName: String, segment: Int64, bytes: [UInt8]) throws(IndexParseError) {
        self.fileName = fileName
        self.segment = segment
        self.bytes = bytes
        let expectedStart: [UInt8] = [0x52, 0x43, 0x51, 0x49, 2]
        if bytes.isEmpty || IndexBytes.allZero(bytes, 0..<bytes.count)
            || (bytes.count < 21 && Array(bytes.prefix(5)) == Array(expectedStart.prefix(bytes.count))) {
            warn(0, "segment file is empty, all zero or has a partial header; the broker deletes it")
            return
        }
        guard bytes.count >= 4, IndexBytes.u32(bytes, 0) == Self.magic else {
            throw fail(0, .badMagic(bytes.count >= 4 ? IndexBytes.u32(bytes, 0) : 0))
        }
        guard bytes[4] == 2 else { throw fail(4, .unsupportedVersion(bytes[4])) }
        guard bytes.count >= 21 else { throw fail(bytes.count, .truncatedRecord) }
        let from = IndexBytes.u64(bytes, 5)
        let to = IndexBytes.u64(bytes, 13)
        guard IndexBytes.allZero(bytes, 21..<min(Self.headerSize, bytes.count)) else {
            throw fail(21, .nonZeroHeaderPadding)
        }
        guard to > from, to - from <= 1 << 30 else { throw fail(5, .headerMismatch(fromSeq: from, toSeq: to)) }
        let entryCount = Int(to - from)
        let (first, overflow) = segment.multipliedReportingOverflow(by: Int64(entryCount))
        guard !overflow, first <= Int64.max - Int64(entryCount) else {
            throw fail(0, .segmentNumberOutOfRange(segment))
        }
        guard UInt64(first) == from else { throw fail(5, .headerMismatch(fromSeq: from, toSeq: to)) }
        if bytes.count < Self.headerSize {
            warn(bytes.count, "header cut short; the broker reads no entry")
        }
        headerEntryCount = entryCount
    }

    /// Walks the entry slots, adding survivors to `tally`. `entryCount` is the broker's
    /// `classic_queue_index_v2_segment_entry_count`, already checked against the header.
    func countEntries(entryCount: Int, into tally: inout QueueIndexTally) throws(IndexParseError) {
        guard headerEntryCount != nil else { return }
        var end = Self.headerSize + entryCount * Self.entrySize
        if bytes.count > end {
            // recover_segment/10 and read_from_disk/3 never look past the last slot.
            guard IndexBytes.allZero(bytes, end..<bytes.count) else { throw fail(end, .trailingBytes(bytes.count - end)) }
            tally.warn([IndexParseWarning(
                file: fileName, offset: end,
                message: "\(bytes.count - end) zero bytes after the last entry slot; the broker ignores them")])
        } else {
            end = bytes.count
        }
        var offset = Self.headerSize
        var slot = 0
        while offset < end {
            let status = bytes[offset]
            guard status <= 1 else { throw fail(offset, .invalidEntryStatus(status)) }
            // recover_segment/10 accepts a short last entry when absent or transient, but
            // parse_entries/4 (reading the queue back) has no clause for one: the queue
            // process crashes (seen on 3.10.8 with one zero byte after the last entry).
            guard end - offset >= Self.entrySize else { throw fail(offset, .truncatedRecord) }
            let flags = bytes[offset + 1]
            guard flags & 0xFE == 0 else { throw fail(offset + 1, .invalidEntryFlags(flags)) }
            guard bytes[offset + 2] == 0 else { throw fail(offset + 2, .invalidEntryFlags(bytes[offset + 2])) }
            if status == 1 {
                let location = try self.location(at: offset + 3)
                let persistent = bytes[offset + 1] & 1 == 1
                let seqID = segment * Int64(entryCount) + Int64(slot)
                let size = IndexBytes.u32(bytes, offset + 20)
                switch (persistent, location) {
                case (true, 1): tally.addMessage(seqID: seqID, payloadSize: size, location: .sharedStore)
                case (true, 2): tally.addMessage(seqID: seqID, payloadSize: size, location: .queueStore(segment: segment))
                default: tally.addDropped()
                }
            }
            offset += Self.entrySize
            slot += 1
        }
    }

    /// The location type at `offset` after checking its padding (`parse_entries/4` has no
    /// clause for anything else).
    private func location(at offset: Int) throws(IndexParseError) -> UInt8 {
        let type = bytes[offset]
        switch type {
        case 0: guard IndexBytes.allZero(bytes, offset + 1..<offset + 17) else { throw fail(offset, .invalidLocation(0)) }
        case 1: break
        case 2: guard IndexBytes.allZero(bytes, offset + 13..<offset + 17) else { throw fail(offset, .invalidLocation(2)) }
        default: throw fail(offset, .invalidLocation(type))
        }
        return type
    }

    private func fail(_ offset: Int, _ reason: IndexParseError.Reason) -> IndexParseError {
        IndexParseError(file: fileName, offset: offset, reason: reason)
    }

    private mutating func warn(_ offset: Int, _ message: String) {
        warnings.append(IndexParseWarning(file: fileName, offset: offset, message: message))
    }
}
