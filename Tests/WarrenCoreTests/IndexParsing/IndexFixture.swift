import Foundation
import Testing
@testable import WarrenCore

/// A queue directory copied from a real RabbitMQ 3.10.8 node (see Fixtures/README.md), with
/// what the broker reported for it.
struct IndexFixture: Sendable, CustomTestStringConvertible {
    /// Directory name under Fixtures/.
    var name: String
    /// CQv1 `segment_entry_count` of the vhost the queue lived in.
    var segmentEntryCount: Int
    /// `rabbitmqctl list_queues name messages` when the files were copied.
    var listedMessages: Int
    /// The count expected from the parsers (recovered count, as checked with start_app).
    var expected: QueueIndexCount

    var testDescription: String { name }

    static let directory: String = {
        let here = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        return here.appendingPathComponent("Fixtures").path
    }()

    var path: String { (Self.directory as NSString).appendingPathComponent(name) }

    /// File name → contents, as `QueueIndexReader.count(files:)` takes them.
    func files() throws -> [String: [UInt8]] {
        var files: [String: [UInt8]] = [:]
        for entry in try FileManager.default.contentsOfDirectory(atPath: path) {
            files[entry] = Array(try Data(contentsOf: URL(fileURLWithPath: (path as NSString).appendingPathComponent(entry))))
        }
        return files
    }

    /// Index files only, with their names (for mutation).
    func indexFiles() throws -> [(name: String, bytes: [UInt8])] {
        try files().filter { $0.key.hasSuffix(".idx") || $0.key.hasSuffix(".qi") || $0.key == "journal.jif" }
            .sorted { $0.key < $1.key }
            .map { (name: $0.key, bytes: $0.value) }
    }
}

extension IndexFixture {
    private static func v1(_ name: String, n: Int = 2048, listed: Int, messages: Int, payload: Int64,
                           embedded: Int = 0, shared: Int = 0, dropped: Int = 0,
                           seq: ClosedRange<Int64>?) -> IndexFixture {
        IndexFixture(name: name, segmentEntryCount: n, listedMessages: listed, expected: QueueIndexCount(
            indexVersion: 1, messages: messages, payloadBytes: payload, embeddedInIndex: embedded,
            inSharedStore: shared, droppedAtRecovery: dropped,
            oldestSeqID: seq?.lowerBound, newestSeqID: seq?.upperBound))
    }

    private static func v2(_ name: String, listed: Int, messages: Int, payload: Int64, shared: Int = 0,
                           queueStore: Int = 0, dropped: Int = 0, seq: ClosedRange<Int64>,
                           qs: [Int64]) -> IndexFixture {
        IndexFixture(name: name, segmentEntryCount: 2048, listedMessages: listed, expected: QueueIndexCount(
            indexVersion: 2, messages: messages, payloadBytes: payload, inSharedStore: shared,
            inQueueStore: queueStore, droppedAtRecovery: dropped,
            oldestSeqID: seq.lowerBound, newestSeqID: seq.upperBound, referencedQueueStoreSegments: qs))
    }

    /// Every fixture. `messages` is what `list_queues` showed after `start_app` (or after a
    /// restore of the copy into a fresh node, for the `-running` ones). Where it is below
    /// `listed`, the difference is transient messages.
    static let all: [IndexFixture] = [
        v1("v1-small", listed: 50, messages: 50, payload: 5000, embedded: 50, seq: 0...49),
        v1("v1-large", listed: 5, messages: 5, payload: 25000, shared: 5, seq: 0...4),
        v1("v1-acks", listed: 80, messages: 80, payload: 4000, embedded: 80, seq: 1...99),
        v1("v1-mixed", listed: 23, messages: 13, payload: 19000, embedded: 10, shared: 3, seq: 0...22),
        v1("v1-lazy-transient", listed: 23, messages: 10, payload: 1000, embedded: 10, dropped: 13, seq: 0...9),
        v1("v1-drained", listed: 0, messages: 0, payload: 0, seq: nil),
        // Copied while running: the 5 acks were still in the broker's write buffer, so a
        // restore brings back 30 (checked by restoring the copy into a fresh node).
        v1("v1-journal-running", listed: 25, messages: 30, payload: 3000, embedded: 30, seq: 0...29),
        v1("v1-journal-acks-running", listed: 26, messages: 26, payload: 2600, embedded: 26, seq: 1...30),
        v1("v1-multi-seg64", n: 64, listed: 126, messages: 126, payload: 630_000, shared: 126, seq: 71...199),
        v1("v1-segjournal-running", n: 64, listed: 155, messages: 155, payload: 775_000, shared: 155, seq: 1...169),
        v1("v1-segjournal-stopped", n: 64, listed: 155, messages: 155, payload: 775_000, shared: 155, seq: 1...169),
        v2("v2-small", listed: 40, messages: 40, payload: 4000, queueStore: 40, seq: 0...39, qs: [0]),
        v2("v2-large", listed: 5, messages: 5, payload: 25000, shared: 5, seq: 0...4, qs: []),
        v2("v2-acks", listed: 80, messages: 80, payload: 4000, queueStore: 80, seq: 1...99, qs: [0]),
        v2("v2-mixed", listed: 23, messages: 13, payload: 19000, shared: 3, queueStore: 10, seq: 0...22, qs: [0]),
        v2("v2-lazy-transient", listed: 23, messages: 10, payload: 1000, queueStore: 10, dropped: 13, seq: 0...9, qs: [0]),
        v2("v2-multi-seg64", listed: 126, messages: 126, payload: 581_000, shared: 116, queueStore: 10, seq: 71...199, qs: [2]),
        IndexFixture(name: "v2-empty", segmentEntryCount: 2048, listedMessages: 0, expected: QueueIndexCount()),
        IndexFixture(name: "v2-purged", segmentEntryCount: 2048, listedMessages: 0, expected: QueueIndexCount()),
    ]
}
