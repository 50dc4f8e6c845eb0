import Testing
@testable import WarrenCore

@Suite("IndexParsing: CQv2 hand-built records")
struct IndexParsingV2Tests {
    typealias B = IndexRecordBuilder

    func count(_ segments: [Int64: [UInt8]], n: Int? = nil) throws -> QueueIndexCount {
        try ClassicQueueIndexV2Parser(segmentEntryCount: n)
            .count(segments: segments.map { QueueIndexSegment(number: $0.key, bytes: $0.value) })
    }

    func error(_ body: () throws -> QueueIndexCount) -> IndexParseError? {
        IndexParsingCheck.error(body)
    }

    @Test func locationsAndSegments() throws {
        let seg0 = B.qiHeader(segment: 0, entries: 8)
            + B.qiEntry(location: .sharedStore(id: 7), size: 5000)
            + B.qiAbsent
            + B.qiEntry(location: .queueStore(offset: 64, size: 300), size: 10)
            + B.qiEntry(persistent: false, location: .queueStore(offset: 372, size: 300))
            + B.qiEntry(location: .memory)
        let seg3 = B.qiHeader(segment: 3, entries: 8) + B.qiAbsent + B.qiAbsent
            + B.qiEntry(location: .queueStore(offset: 64, size: 1), size: 1)
        let c = try count([3: seg3, 0: seg0])
        #expect(c == QueueIndexCount(
            indexVersion: 2, messages: 3, payloadBytes: 5011, inSharedStore: 1, inQueueStore: 2,
            droppedAtRecovery: 2, oldestSeqID: 0, newestSeqID: 26, referencedQueueStoreSegments: [0, 3]))
        #expect(try count([3: seg3, 0: seg0], n: 8) == c)
    }

    @Test func absentEntriesMayHoldOldContents() throws {
        // Dirty recovery acks an entry by zeroing its status byte only.
        var entry = B.qiEntry(location: .sharedStore(id: 1))
        entry[0] = 0
        #expect(try count([0: B.qiHeader(segment: 0, entries: 4) + entry]).messages == 0)
    }

    @Test func headerErrors() {
        let good = B.qiHeader(segment: 2, entries: 4)
        #expect(error { try count([2: B.qiHeader(segment: 2, entries: 4, magic: 0x5243_5153)]) }?.reason == .badMagic(0x5243_5153))
        #expect(error { try count([2: B.qiHeader(segment: 2, entries: 4, version: 1)]) }?.reason == .unsupportedVersion(1))
        var padded = good
        padded[40] = 1
        #expect(error { try count([2: padded]) } == IndexParseError(file: "2.qi", offset: 21, reason: .nonZeroHeaderPadding))
        #expect(error { try count([3: good]) }?.reason == .headerMismatch(fromSeq: 8, toSeq: 12))
        #expect(error { try count([2: good], n: 4096) }?.reason == .headerMismatch(fromSeq: 8, toSeq: 12))
        #expect(error { try count([2: good, 5: B.qiHeader(segment: 5, entries: 8)]) }?.file == "5.qi")
        #expect(error { try count([Int64.max / 2: B.qiHeader(segment: 0, entries: 4)]) }?.reason
            == .segmentNumberOutOfRange(Int64.max / 2))
        #expect(error { try count([0: [0x52, 0x43, 0x51, 0x49, 2, 0, 0]]) } == nil)
        #expect(error { try count([0: [0x52, 0x43, 0x00]]) }?.reason == .badMagic(0))
    }

    @Test func emptyZeroAndShortHeaderFilesAreDeletedByTheBroker() throws {
        let c = try count([0: [], 1: [UInt8](repeating: 0, count: 200), 2: [0x52, 0x43, 0x51]])
        #expect(c.messages == 0 && c.warnings.count == 3)
        let short = try count([4: Array(B.qiHeader(segment: 4, entries: 4).prefix(30))])
        #expect(short.messages == 0 && short.warnings.count == 1)
    }

    @Test func entryErrors() {
        let header = B.qiHeader(segment: 0, entries: 4)
        func with(_ offset: Int, _ byte: UInt8) -> [UInt8] {
            var entry = B.qiEntry(location: .queueStore(offset: 64, size: 10))
            entry[offset] = byte
            return header + entry
        }
        #expect(error { try count([0: with(0, 2)]) } == IndexParseError(file: "0.qi", offset: 64, reason: .invalidEntryStatus(2)))
        #expect(error { try count([0: with(1, 3)]) }?.reason == .invalidEntryFlags(3))
        #expect(error { try count([0: with(2, 1)]) }?.reason == .invalidEntryFlags(1))
        #expect(error { try count([0: with(3, 7)]) } == IndexParseError(file: "0.qi", offset: 67, reason: .invalidLocation(7)))
        #expect(error { try count([0: with(19, 1)]) }?.reason == .invalidLocation(2))
        var memory = B.qiEntry(location: .memory)
        memory[10] = 1
        #expect(error { try count([0: header + memory]) }?.reason == .invalidLocation(0))
    }

    @Test func shortLastEntryIsAnError() {
        // Seen on 3.10.8: 0.qi + 33 zero bytes crashes the queue in parse_entries/4.
        let header = B.qiHeader(segment: 0, entries: 4)
        let persistent = B.qiEntry(location: .sharedStore(id: 1))
        let transient = B.qiEntry(persistent: false, location: .sharedStore(id: 1))
        #expect(error { try count([0: header + persistent + persistent.prefix(31)]) }
            == IndexParseError(file: "0.qi", offset: 96, reason: .truncatedRecord))
        #expect(error { try count([0: header + [1]]) }?.reason == .truncatedRecord)
        #expect(error { try count([0: header + persistent + transient.prefix(5)]) }?.offset == 96)
        #expect(error { try count([0: header + persistent + B.qiAbsent + [0]]) }?.offset == 128)
    }

    @Test func zeroEntriesAndZerosAfterTheLastSlotAreTolerated() throws {
        let header = B.qiHeader(segment: 0, entries: 2)
        let entry = B.qiEntry(location: .sharedStore(id: 1))
        let a = try count([0: header + entry + B.qiAbsent])
        #expect(a.messages == 1 && a.warnings.isEmpty)
        let b = try count([0: header + entry + B.qiAbsent + [0, 0, 0]])
        #expect(b.messages == 1 && b.warnings.map(\.offset) == [128])
        #expect(error { try count([0: header + entry + B.qiAbsent + [0, 1]]) }
            == IndexParseError(file: "0.qi", offset: 128, reason: .trailingBytes(2)))
    }

    @Test func invalidInputs() {
        #expect(error { try count([:], n: 0) }?.reason == .invalidSegmentEntryCount(0))
        #expect(error { try count([-3: []]) }?.reason == .segmentNumberOutOfRange(-3))
    }
}
