/// Reads a CQv1 `journal.jif` the way `rabbit_queue_index:parse_journal_entries/2` and
/// `add_to_journal/3` do.
///
/// Records start with 8 bytes `prefix:2 | seq_id:62`: `10` deliver, `11` ack; `00`
/// (persistent) and `01` (transient) publish, followed by msg id (16), expiry (8), payload
/// size (4), embedded length (4) and the embedded bytes.
///
/// The broker stops reading at the first record it cannot match: a 40-byte all-zero publish
/// ("produced during a dirty shutdown") or a record cut short by the end of the file.
/// Both are tolerated here too; what the broker ignores is reported as a warning unless it
/// is all zero. An embedded length above the broker's maximum message size is an error.
struct CQv1Journal {
    /// The journal's entry per sequence id after `action_to_entry/3`.
    struct Slot {
        var entry: CQv1Entry
        /// Offset of the last record applied to this sequence id (for error reports).
        var offset: Int
    }

    static let fileName = "journal.jif"

    var slots: [Int64: Slot] = [:]
    var warnings: [IndexParseWarning] = []

    init(bytes: [UInt8]) throws(IndexParseError) {
        let file = Self.fileName
        var offset = 0
        while offset < bytes.count {
            let remaining = bytes.count - offset
            if remaining < 8 {
                stop(bytes, at: offset, why: "journal ends inside a record")
                return
            }
            let word = IndexBytes.u64(bytes, offset)
            let prefix = word >> 62
            let seqID = Int64(word & 0x3FFF_FFFF_FFFF_FFFF)
            let action: CQv1Entry.Action
            let next: Int
            if prefix >= 2 {
                action = prefix == 2 ? .deliver : .ack
                next = offset + 8
            } else {
                if remaining >= 40, IndexBytes.allZero(bytes, offset..<offset + 40) {
                    stop(bytes, at: offset, why: "journal has an all-zero record")
                    return
                }
                if remaining < 40 {
                    stop(bytes, at: offset, why: "journal ends inside a record")
                    return
                }
                let embeddedLength = IndexBytes.u32(bytes, offset + 36)
                guard embeddedLength <= IndexBytes.maxMessageSize else {
                    throw IndexParseError(file: file, offset: offset + 36, reason: .embeddedLengthTooLarge(embeddedLength))
                }
                next = offset + 40 + Int(embeddedLength)
                if next > bytes.count {
                    stop(bytes, at: offset, why: "journal ends inside a record")
                    return
                }
                action = .publish(CQv1Entry.Publish(
                    persistent: prefix == 0,
                    body: bytes[offset + 8..<offset + 36],
                    embedded: bytes[offset + 40..<next]))
            }
            switch CQv1Entry.journal(slots[seqID]?.entry, action) {
            case .set(let entry): slots[seqID] = Slot(entry: entry, offset: offset)
            case .remove: slots[seqID] = nil
            case .keep: break
            case nil:
                throw IndexParseError(file: file, offset: offset, reason: .invalidJournalTransition(seqID: seqID))
            }
            offset = next
        }
    }

    /// The broker stops reading here; warn unless what it skips is all zero.
    private mutating func stop(_ bytes: [UInt8], at offset: Int, why: String) {
        guard !IndexBytes.allZero(bytes, offset..<bytes.count) else { return }
        warnings.append(IndexParseWarning(
            file: Self.fileName, offset: offset,
            message: "\(why); the broker ignores the last \(bytes.count - offset) bytes"))
    }
}
