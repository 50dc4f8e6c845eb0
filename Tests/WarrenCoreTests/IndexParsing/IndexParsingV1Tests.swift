import Testing
@testable import WarrenCore

@Suite("IndexParsing: CQv1 hand-built records")
struct IndexParsingV1Tests {
    typealias B = IndexRecordBuilder

    func count(_ segments: [Int64: [UInt8]], journal: [UInt8]? = nil, n: Int = 64) throws(IndexParseError) -> QueueIndexCount {
        try ClassicQueueIndexV1Parser(segmentEntryCount: n)
            .count(segments: segments.map { QueueIndexSegment(number: $0.key, bytes: $0.value) }, journal: journal)
    }

    func error(_ body: () throws -> QueueIndexCount) -> IndexParseError? {
        IndexParsingCheck.error(body)
    }

    @Test func publishDeliverAckInSegment() throws {
        let seg = B.segPub(rel: 0) + B.segPub(rel: 1, size: 7, embedded: [1, 2, 3]) + B.segPub(rel: 2)
            + B.segRel(0) + B.segRel(0) + B.segRel(1)
        let c = try count([1: seg])
        #expect(c.messages == 2)
        #expect(c.payloadBytes == 107)
        #expect(c.embeddedInIndex == 1 && c.inSharedStore == 1)
        #expect(c.oldestSeqID == 65 && c.newestSeqID == 66)
        #expect(c.warnings.isEmpty)
    }

    @Test func transientPublishesAreDropped() throws {
        let c = try count([0: B.segPub(rel: 0, persistent: false) + B.segPub(rel: 1)],
                          journal: B.jPub(seq: 2, persistent: false))
        #expect(c.messages == 1 && c.droppedAtRecovery == 2)
    }

    @Test func zeroTailInSegmentIsAnError() {
        let seg = B.segPub(rel: 0) + [0, 0, 0, 0]
        let e = error { try count([0: seg]) }
        #expect(e == IndexParseError(file: "0.idx", offset: 34, reason: .unknownRecordPrefix(0)))
    }

    @Test func allZeroSegmentIsDeletedByTheBroker() throws {
        let c = try count([0: [UInt8](repeating: 0, count: 500), 1: []])
        #expect(c.messages == 0)
        #expect(c.warnings.count == 1)
        #expect(c.warnings.first?.file == "0.idx")
    }

    @Test func oneTrailingByteIsAnError() {
        let e = error { try count([0: B.segPub(rel: 0) + [0x40]]) }
        #expect(e?.reason == .truncatedRecord && e?.offset == 34)
    }

    @Test func publishCutAfterItsPrefixIsTolerated() throws {
        // The broker re-reads after the 2-byte prefix and finds the end of the file.
        let seg = B.segPub(rel: 0) + Array(B.segPub(rel: 1).prefix(2))
        let c = try count([0: seg])
        #expect(c.messages == 1)
        #expect(c.warnings.map(\.offset) == [34])
    }

    @Test func publishCutInItsBodyIsAnError() {
        // Re-read from the msg id: 0x00 bytes have no record prefix, as in the broker.
        let seg = B.segPub(rel: 0) + Array(B.segPub(rel: 1, id: 0).prefix(20))
        let e = error { try count([0: seg]) }
        #expect(e?.reason == .unknownRecordPrefix(0))
        #expect(e?.offset == 36)
    }

    @Test func hugeEmbeddedLengthIsAnErrorNotAnAllocation() {
        var seg = B.segPub(rel: 0)
        seg.replaceSubrange(30..<34, with: [0xFF, 0xFF, 0xFF, 0xFF])
        let e = error { try count([0: seg]) }
        #expect(e == IndexParseError(file: "0.idx", offset: 30, reason: .embeddedLengthTooLarge(.max)))

        var journal = B.jPub(seq: 0)
        journal.replaceSubrange(36..<40, with: [0xFF, 0xFF, 0xFF, 0xFF])
        let j = error { try count([:], journal: journal) }
        #expect(j == IndexParseError(file: "journal.jif", offset: 36, reason: .embeddedLengthTooLarge(.max)))
    }

    @Test func recordStructureErrors() {
        #expect(error { try count([0: B.segRel(3)]) }?.reason == .deliverOrAckWithoutPublish(seqID: 3))
        #expect(error { try count([0: B.segPub(rel: 3) + B.segRel(3) + B.segRel(3) + B.segRel(3)]) }?.reason
            == .extraDeliverOrAck(seqID: 3))
        #expect(error { try count([0: B.segPub(rel: 3) + B.segPub(rel: 3)]) }?.reason == .duplicatePublish(seqID: 3))
        #expect(error { try count([0: B.segPub(rel: 64)]) }?.reason == .relativeSeqIDOutOfRange(64))
        #expect(error { try count([0: B.segRel(100)], n: 64) }?.reason == .relativeSeqIDOutOfRange(100))
    }

    @Test func invalidInputs() {
        #expect(error { try count([:], n: 0) }?.reason == .invalidSegmentEntryCount(0))
        #expect(error { try count([:], n: 16385) }?.reason == .invalidSegmentEntryCount(16385))
        #expect(error { try count([Int64.max / 2: B.segPub(rel: 0)]) }?.reason == .segmentNumberOutOfRange(Int64.max / 2))
        #expect(error { try count([-1: []]) }?.reason == .segmentNumberOutOfRange(-1))
    }

    // MARK: Journal

    @Test func journalAloneAndZeroTail() throws {
        let journal = B.jPub(seq: 0) + B.jDel(0) + B.jPub(seq: 1, embedded: [9]) + B.jPub(seq: 2) + B.jDel(2) + B.jAck(2)
        let c = try count([:], journal: journal + [UInt8](repeating: 0, count: 57))
        #expect(c.messages == 2 && c.embeddedInIndex == 1 && c.inSharedStore == 1)
        #expect(c.warnings.isEmpty)
    }

    @Test func journalStopsAtAZeroRecordAndAtATruncatedRecord() throws {
        let zeroThenData = B.jPub(seq: 0) + [UInt8](repeating: 0, count: 40) + B.jPub(seq: 1)
        let a = try count([:], journal: zeroThenData)
        #expect(a.messages == 1)
        #expect(a.warnings.map(\.offset) == [40])

        let cut = B.jPub(seq: 0) + B.jPub(seq: 1) + Array(B.jPub(seq: 2).prefix(30))
        let b = try count([:], journal: cut)
        #expect(b.messages == 2)
        #expect(b.warnings.map(\.offset) == [80])

        let cutEmbedded = B.jPub(seq: 0) + Array(B.jPub(seq: 1, embedded: [1, 2, 3]).dropLast())
        #expect(try count([:], journal: cutEmbedded).messages == 1)
    }

    @Test func journalAppliesOnTopOfSegments() throws {
        // seq 64..67 in segment 1: 64 acked by the journal, 65 delivered, 66 untouched,
        // 67 published again in the journal (flush interrupted before the journal was cut).
        let seg = B.segPub(rel: 0) + B.segPub(rel: 1) + B.segPub(rel: 2) + B.segPub(rel: 3)
        let journal = B.jDel(64) + B.jAck(64) + B.jDel(65) + B.jPub(seq: 67) + B.jPub(seq: 130)
        let c = try count([1: seg], journal: journal)
        #expect(c.messages == 4)
        #expect(c.oldestSeqID == 65 && c.newestSeqID == 130)
    }

    @Test func journalAcksForAVanishedSegmentAreIgnored() throws {
        // journal_minus_segment1: "Missing segment ... ignore what's in the journal".
        let c = try count([:], journal: B.jDel(5) + B.jAck(5) + B.jAck(6))
        #expect(c.messages == 0 && c.indexVersion == 1)
    }

    @Test func journalConflicts() {
        let seg = B.segPub(rel: 0, id: 1)
        #expect(error { try count([0: seg], journal: B.jPub(seq: 0, id: 2)) }?.reason == .journalSegmentConflict(seqID: 0))
        #expect(error { try count([:], journal: B.jDel(7)) }
            == IndexParseError(file: "journal.jif", offset: 0, reason: .journalSegmentConflict(seqID: 7)))
        #expect(error { try count([:], journal: B.jPub(seq: 1) + B.jPub(seq: 1)) }
            == IndexParseError(file: "journal.jif", offset: 40, reason: .invalidJournalTransition(seqID: 1)))
        #expect(error { try count([:], journal: B.jPub(seq: 1) + B.jAck(1)) }?.reason == .invalidJournalTransition(seqID: 1))
    }

    @Test func farAwaySequenceIDsDoNotAllocate() throws {
        let top: UInt64 = (1 << 62) - 1
        let c = try count([:], journal: B.jPub(seq: top) + B.jPub(seq: 0), n: 16384)
        #expect(c.messages == 2)
        #expect(c.newestSeqID == Int64(top))
    }
}
