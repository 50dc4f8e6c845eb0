extension IndexParseError {
    /// Why an index could not be accounted for.
    public enum Reason: Sendable, Equatable, CustomStringConvertible {
        // MARK: Inputs and files
        /// The segment entry count is outside what the format can address.
        case invalidSegmentEntryCount(Int)
        /// A file name the broker would misread (e.g. `007.idx`, `1.qi.bak`), or a duplicate
        /// segment number.
        case unexpectedFileName(String)
        /// The file could not be read.
        case unreadable(String)
        /// The file is larger than any index file the broker writes.
        case fileTooLarge(Int64)
        /// The directory holds both CQv1 and CQv2 index files (an interrupted conversion).
        case mixedIndexVersions
        /// A segment number so large that its sequence ids overflow 64 bits.
        case segmentNumberOutOfRange(Int64)

        // MARK: CQv1 (`N.idx`, `journal.jif`)
        /// A segment record starts with the bits `00`, which no record has.
        case unknownRecordPrefix(UInt8)
        /// A record is cut short in a way the broker does not recover from.
        case truncatedRecord
        /// An embedded-body length larger than the broker's maximum message size (512 MiB).
        case embeddedLengthTooLarge(UInt32)
        /// A relative sequence id not below the segment entry count.
        case relativeSeqIDOutOfRange(Int)
        /// A deliver or ack record for a sequence id never published in that segment.
        case deliverOrAckWithoutPublish(seqID: Int64)
        /// A second publish record for the same sequence id.
        case duplicatePublish(seqID: Int64)
        /// A third deliver/ack record for the same sequence id.
        case extraDeliverOrAck(seqID: Int64)
        /// A journal record that does not follow publish → deliver → ack for its sequence id.
        case invalidJournalTransition(seqID: Int64)
        /// Journal and segment disagree about a sequence id (e.g. two different publishes).
        case journalSegmentConflict(seqID: Int64)

        // MARK: CQv2 (`N.qi`)
        /// The header magic is not `RCQI`.
        case badMagic(UInt32)
        /// The header version is not 2.
        case unsupportedVersion(UInt8)
        /// `from_seq`/`to_seq` disagree with the segment number or the entry count.
        case headerMismatch(fromSeq: UInt64, toSeq: UInt64)
        /// Non-zero bytes in the header padding.
        case nonZeroHeaderPadding
        /// An entry status other than 0 (absent) or 1 (present).
        case invalidEntryStatus(UInt8)
        /// Flag bits other than bit 0, or a non-zero reserved byte.
        case invalidEntryFlags(UInt8)
        /// A location that is not 0 (memory), 1 (shared store) or 2 (queue store), or whose
        /// padding is not zero.
        case invalidLocation(UInt8)
        /// Bytes after the last entry slot of the segment.
        case trailingBytes(Int)

        /// A human-readable explanation.
        public var description: String {
            switch self {
            case .invalidSegmentEntryCount(let n): return "invalid segment entry count \(n)"
            case .unexpectedFileName(let name): return "unexpected index file name '\(name)'"
            case .unreadable(let why): return "cannot read file: \(why)"
            case .fileTooLarge(let size): return "file too large for an index file (\(size) bytes)"
            case .mixedIndexVersions: return "both CQv1 and CQv2 index files present"
            case .segmentNumberOutOfRange(let n): return "segment number \(n) out of range"
            case .unknownRecordPrefix(let b): return "unknown record prefix in byte 0x\(String(b, radix: 16))"
            case .truncatedRecord: return "truncated record"
            case .embeddedLengthTooLarge(let n): return "embedded message length \(n) exceeds 512 MiB"
            case .relativeSeqIDOutOfRange(let r): return "relative sequence id \(r) not below the segment entry count"
            case .deliverOrAckWithoutPublish(let s): return "deliver/ack for unpublished sequence id \(s)"
            case .duplicatePublish(let s): return "second publish of sequence id \(s)"
            case .extraDeliverOrAck(let s): return "more than one deliver and one ack for sequence id \(s)"
            case .invalidJournalTransition(let s): return "journal record out of order for sequence id \(s)"
            case .journalSegmentConflict(let s): return "journal and segment disagree on sequence id \(s)"
            case .badMagic(let m): return "bad magic 0x\(String(m, radix: 16))"
            case .unsupportedVersion(let v): return "unsupported version \(v)"
            case .headerMismatch(let from, let to): return "header from_seq \(from) / to_seq \(to) do not match the segment"
            case .nonZeroHeaderPadding: return "non-zero header padding"
            case .invalidEntryStatus(let s): return "invalid entry status \(s)"
            case .invalidEntryFlags(let f): return "invalid entry flags 0x\(String(f, radix: 16))"
            case .invalidLocation(let t): return "invalid message location type \(t)"
            case .trailingBytes(let n): return "\(n) bytes after the last entry slot"
            }
        }
    }
}
