/// Reads one CQv1 segment file `N.idx` the way `rabbit_queue_index:load_segment/2` and
/// `parse_segment_entries/3` do.
///
/// Records: publish `1 | persistent:1 | rel_seq:14`, then msg id (16), expiry (8), payload
/// size (4), embedded length (4) and the embedded bytes; deliver/ack `01 | rel_seq:14`
/// (the first after a publish is the deliver, the second the ack).
///
/// Tolerated as the broker does: an empty or all-zero file (the broker deletes it and reads
/// no entry), and a publish record cut short: the broker's fallback clause re-parses from
/// the byte after its 2-byte prefix, which is reproduced here exactly (it usually ends in an
/// error, as it does in the broker, unless nothing follows the prefix).
///
/// Entries go into a flat table of `segmentEntryCount` slots indexed by relative sequence
/// id (acked entries kept, `load_segment(true, _)`); a slot holds what counting needs,
/// captured while parsing, plus where the publish record lies in the file so the journal
/// rules can compare records byte for byte.
struct CQv1SegmentFile {
    /// One relative sequence id of a segment.
    struct Slot {
        static let published: UInt8 = 1
        static let delivered: UInt8 = 2
        static let acked: UInt8 = 4
        static let persistent: UInt8 = 8
        static let embedded: UInt8 = 16

        /// Offset of the publish body (msg id, expiry, payload size) in the file.
        var bodyOffset: Int = 0
        var payloadSize: UInt32 = 0
        /// `published`, `delivered`, `acked`, `persistent`, `embedded` bits; 0: no entry.
        var flags: UInt8 = 0

        static let empty = Slot()

        var isPresent: Bool { flags & Slot.published != 0 }
    }

    /// Parses `bytes` into `slots` (which must hold `segmentEntryCount` slots; they are
    /// reset first) and returns the warnings.
    static func parse(
        fileName: String, segment: Int64, bytes: [UInt8], segmentEntryCount: Int, into slots: inout [Slot]
    ) throws(IndexParseError) -> [IndexParseWarning] {
        precondition(slots.count == segmentEntryCount)
        func fail(_ offset: Int, _ reason: IndexParseError.Reason) -> IndexParseError {
            IndexParseError(file: fileName, offset: offset, reason: reason)
        }
        slots.withUnsafeMutableBufferPointer { $0.update(repeating: .empty) }
        var warnings: [IndexParseWarning] = []
        if bytes.first ?? 0 == 0, IndexBytes.allZero(bytes, 0..<bytes.count) {
            if !bytes.isEmpty {
                warnings.append(IndexParseWarning(
                    file: fileName, offset: 0,
                    message: "segment file holds only NUL bytes; the broker deletes it"))
            }
            return warnings
        }
        let base = segment * Int64(segmentEntryCount)
        let result: IndexParseError? = bytes.withUnsafeBufferPointer { buf in
            slots.withUnsafeMutableBufferPointer { table in
                let count = buf.count
                @inline(__always) func u32(_ at: Int) -> UInt32 {
                    UInt32(buf[at]) << 24 | UInt32(buf[at + 1]) << 16 | UInt32(buf[at + 2]) << 8 | UInt32(buf[at + 3])
                }
                var offset = 0
                while offset < count {
                    let first = buf[offset]
                    if first & 0xC0 == 0 { return fail(offset, .unknownRecordPrefix(first)) }
                    guard offset + 2 <= count else { return fail(offset, .truncatedRecord) }
                    let rel = Int(first & 0x3F) << 8 | Int(buf[offset + 1])
                    if first & 0x80 != 0 {
                        // Publish: prefix (2), body (28), embedded length (4), embedded bytes.
                        let bodyStart = offset + 2
                        var complete = false
                        if count - bodyStart >= 32 {
                            let embeddedLength = u32(bodyStart + 28)
                            guard embeddedLength <= IndexBytes.maxMessageSize else {
                                return fail(bodyStart + 28, .embeddedLengthTooLarge(embeddedLength))
                            }
                            let end = bodyStart + 32 + Int(embeddedLength)
                            if end <= count {
                                complete = true
                                guard rel < segmentEntryCount else { return fail(offset, .relativeSeqIDOutOfRange(rel)) }
                                guard !table[rel].isPresent else {
                                    return fail(offset, .duplicatePublish(seqID: base + Int64(rel)))
                                }
                                var flags = Slot.published
                                if first & 0x40 != 0 { flags |= Slot.persistent }
                                if embeddedLength != 0 { flags |= Slot.embedded }
                                table[rel] = Slot(bodyOffset: bodyStart, payloadSize: u32(bodyStart + 24), flags: flags)
                                offset = end
                            }
                        }
                        if !complete {
                            // parse_segment_publish_entry/5's fallback: continue after the prefix.
                            // Only the first is reported (a crafted file could hold one per 2 bytes).
                            if warnings.isEmpty {
                                warnings.append(IndexParseWarning(
                                    file: fileName, offset: offset,
                                    message: "publish record cut short; the broker re-reads from the next byte"))
                            }
                            offset = bodyStart
                        }
                    } else {
                        // Deliver or ack (prefix 01).
                        guard rel < segmentEntryCount else { return fail(offset, .relativeSeqIDOutOfRange(rel)) }
                        let flags = table[rel].flags
                        guard flags & Slot.published != 0 else {
                            return fail(offset, .deliverOrAckWithoutPublish(seqID: base + Int64(rel)))
                        }
                        if flags & Slot.delivered == 0 {
                            table[rel].flags = flags | Slot.delivered
                        } else if flags & Slot.acked == 0 {
                            table[rel].flags = flags | Slot.acked
                        } else {
                            return fail(offset, .extraDeliverOrAck(seqID: base + Int64(rel)))
                        }
                        offset += 2
                    }
                }
                return nil
            }
        }
        if let result { throw result }
        return warnings
    }

    /// The slot as the broker's entry, for the journal rules (`nil`: no entry).
    static func entry(_ slot: Slot, in bytes: [UInt8]) -> CQv1Entry? {
        guard slot.isPresent else { return nil }
        let body = slot.bodyOffset
        let embeddedLength = Int(IndexBytes.u32(bytes, body + 28))
        return CQv1Entry(
            publish: CQv1Entry.Publish(
                persistent: slot.flags & Slot.persistent != 0,
                body: bytes[body..<body + 28],
                embedded: bytes[body + 32..<body + 32 + embeddedLength]),
            delivered: slot.flags & Slot.delivered != 0,
            acked: slot.flags & Slot.acked != 0)
    }
}
