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
struct CQv1SegmentFile {
    /// Entries by relative sequence id, acked entries kept (`load_segment(true, _)`).
    var entries: [Int: CQv1Entry] = [:]
    var warnings: [IndexParseWarning] = []

    init(fileName: String, segment: Int64, bytes: [UInt8], segmentEntryCount: Int) throws(IndexParseError) {
        func fail(_ offset: Int, _ reason: IndexParseError.Reason) -> IndexParseError {
            IndexParseError(file: fileName, offset: offset, reason: reason)
        }
        if IndexBytes.allZero(bytes, 0..<bytes.count) {
            if !bytes.isEmpty {
                warnings.append(IndexParseWarning(
                    file: fileName, offset: 0,
                    message: "segment file holds only NUL bytes; the broker deletes it"))
            }
            return
        }
        let base = segment * Int64(segmentEntryCount)
        var offset = 0
        while offset < bytes.count {
            let first = bytes[offset]
            if first & 0xC0 == 0 { throw fail(offset, .unknownRecordPrefix(first)) }
            guard offset + 2 <= bytes.count else { throw fail(offset, .truncatedRecord) }
            let rel = Int(IndexBytes.u16(bytes, offset) & 0x3FFF)
            let seqID = base + Int64(rel)
            if first & 0x80 != 0 {
                // Publish: prefix (2), body (28), embedded length (4), embedded bytes.
                let bodyStart = offset + 2
                var complete = false
                if bytes.count - bodyStart >= 32 {
                    let embeddedLength = IndexBytes.u32(bytes, bodyStart + 28)
                    guard embeddedLength <= IndexBytes.maxMessageSize else {
                        throw fail(bodyStart + 28, .embeddedLengthTooLarge(embeddedLength))
                    }
                    let end = bodyStart + 32 + Int(embeddedLength)
                    if end <= bytes.count {
                        complete = true
                        guard rel < segmentEntryCount else { throw fail(offset, .relativeSeqIDOutOfRange(rel)) }
                        guard entries[rel] == nil else { throw fail(offset, .duplicatePublish(seqID: seqID)) }
                        let publish = CQv1Entry.Publish(
                            persistent: first & 0x40 != 0,
                            body: bytes[bodyStart..<bodyStart + 28],
                            embedded: bytes[bodyStart + 32..<end])
                        entries[rel] = CQv1Entry(publish: publish, delivered: false, acked: false)
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
                guard rel < segmentEntryCount else { throw fail(offset, .relativeSeqIDOutOfRange(rel)) }
                guard var entry = entries[rel] else { throw fail(offset, .deliverOrAckWithoutPublish(seqID: seqID)) }
                if !entry.delivered {
                    entry.delivered = true
                } else if !entry.acked {
                    entry.acked = true
                } else {
                    throw fail(offset, .extraDeliverOrAck(seqID: seqID))
                }
                entries[rel] = entry
                offset += 2
            }
        }
    }
}
