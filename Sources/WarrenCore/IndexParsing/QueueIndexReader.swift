import Foundation

/// Entry points that count a whole classic queue directory, CQv1 or CQv2, from disk or from
/// file contents already in memory.
///
/// The index version is told by the files: `N.idx`/`journal.jif` are CQv1, `N.qi` CQv2
/// (`N.qs` files hold CQv2 bodies and are not read). A directory with both CQv1 files and
/// `N.qi` files is a conversion interrupted by a crash and is reported as an error; one with
/// no index file counts zero messages with `indexVersion == nil`.
public enum QueueIndexReader {
    /// Largest index file read: far above anything the broker writes (a CQv1 journal is
    /// bounded by `queue_index_max_journal_entries`, a `.qi` by its entry count).
    public static let maxFileSize: Int64 = 1 << 30

    /// Counts the queue directory at `path` (`.../msg_stores/vhosts/V/queues/Q`).
    ///
    /// - Parameters:
    ///   - path: the queue directory.
    ///   - segmentEntryCount: CQv1 `segment_entry_count` from the vhost's `.config`
    ///     (16384 when the file is absent).
    ///   - v2SegmentEntryCount: the broker's `classic_queue_index_v2_segment_entry_count`,
    ///     or `nil` to read it from the `.qi` headers.
    /// - Throws: `IndexParseError` (an unreadable file is `.unreadable`).
    public static func count(
        queueDirectory path: String,
        segmentEntryCount: Int = ClassicQueueIndexV1Parser.defaultSegmentEntryCount,
        v2SegmentEntryCount: Int? = nil
    ) throws(IndexParseError) -> QueueIndexCount {
        let manager = FileManager.default
        let names: [String]
        do {
            names = try manager.contentsOfDirectory(atPath: path)
        } catch {
            throw IndexParseError(file: path, offset: 0, reason: .unreadable(error.localizedDescription))
        }
        var files: [String: [UInt8]] = [:]
        for name in names.sorted() {
            switch try QueueIndexFileName.classify(name) {
            case .other, .v2Store:
                continue  // contents are not needed
            case .v1Segment, .v1Journal, .v2Segment:
                files[name] = try read((path as NSString).appendingPathComponent(name), name: name)
            }
        }
        return try count(files: files, segmentEntryCount: segmentEntryCount, v2SegmentEntryCount: v2SegmentEntryCount)
    }

    /// Counts a queue directory given as file name → contents (names without directory, as
    /// in the queue directory). Files other than `N.idx`, `journal.jif` and `N.qi` are ignored.
    ///
    /// - Parameters: as `count(queueDirectory:segmentEntryCount:v2SegmentEntryCount:)`.
    /// - Throws: `IndexParseError`.
    public static func count(
        files: [String: [UInt8]],
        segmentEntryCount: Int = ClassicQueueIndexV1Parser.defaultSegmentEntryCount,
        v2SegmentEntryCount: Int? = nil
    ) throws(IndexParseError) -> QueueIndexCount {
        var v1: [QueueIndexSegment] = []
        var v2: [QueueIndexSegment] = []
        var journal: [UInt8]?
        for name in files.keys.sorted() {
            if name.contains("/") {
                throw IndexParseError(file: name, offset: 0, reason: .unexpectedFileName(name))
            }
            switch try QueueIndexFileName.classify(name) {
            case .v1Segment(let n): v1.append(QueueIndexSegment(number: n, bytes: files[name]!))
            case .v1Journal: journal = files[name]!
            case .v2Segment(let n): v2.append(QueueIndexSegment(number: n, bytes: files[name]!))
            case .v2Store, .other: break
            }
        }
        let hasV1 = !v1.isEmpty || !(journal ?? []).isEmpty
        if !v2.isEmpty {
            guard !hasV1 else {
                throw IndexParseError(file: v1.isEmpty ? "journal.jif" : "\(v1[0].number).idx", offset: 0,
                                      reason: .mixedIndexVersions)
            }
            return try ClassicQueueIndexV2Parser(segmentEntryCount: v2SegmentEntryCount).count(segments: v2)
        }
        if hasV1 || journal != nil {
            return try ClassicQueueIndexV1Parser(segmentEntryCount: segmentEntryCount).count(segments: v1, journal: journal)
        }
        return QueueIndexCount()
    }

    private static func read(_ path: String, name: String) throws(IndexParseError) -> [UInt8] {
        do {
            let attributes = try FileManager.default.attributesOfItem(atPath: path)
            guard attributes[.type] as? FileAttributeType == .typeRegular else {
                throw IndexParseError(file: name, offset: 0, reason: .unreadable("not a regular file"))
            }
            let size = (attributes[.size] as? NSNumber)?.int64Value ?? 0
            guard size <= maxFileSize else {
                throw IndexParseError(file: name, offset: 0, reason: .fileTooLarge(size))
            }
            return Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        } catch let error as IndexParseError {
            throw error
        } catch {
            throw IndexParseError(file: name, offset: 0, reason: .unreadable(error.localizedDescription))
        }
    }
}
