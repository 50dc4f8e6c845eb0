/// Hand-built CQv1/CQv2 records, laid out as `rabbit_queue_index.erl` and
/// `rabbit_classic_queue_index_v2.erl` write them.
enum IndexRecordBuilder {
    static func be(_ value: UInt64, bytes: Int) -> [UInt8] {
        (0..<bytes).reversed().map { UInt8(truncatingIfNeeded: value >> (UInt64($0) * 8)) }
    }

    /// Msg id (16) + expiry (8) + payload size (4).
    static func pubBody(id: UInt8, size: UInt32) -> [UInt8] {
        [UInt8](repeating: id, count: 16) + be(0, bytes: 8) + be(UInt64(size), bytes: 4)
    }

    // MARK: CQv1 segment

    static func segPub(rel: Int, persistent: Bool = true, id: UInt8 = 0xA5, size: UInt32 = 100,
                       embedded: [UInt8] = []) -> [UInt8] {
        let prefix = UInt16(0x8000) | (persistent ? 0x4000 : 0) | UInt16(rel & 0x3FFF)
        return be(UInt64(prefix), bytes: 2) + pubBody(id: id, size: size)
            + be(UInt64(embedded.count), bytes: 4) + embedded
    }

    /// A deliver or ack record (the same bytes: the first is the deliver).
    static func segRel(_ rel: Int) -> [UInt8] {
        be(UInt64(0x4000 | (rel & 0x3FFF)), bytes: 2)
    }

    // MARK: CQv1 journal

    static func jPub(seq: UInt64, persistent: Bool = true, id: UInt8 = 0xA5, size: UInt32 = 100,
                     embedded: [UInt8] = []) -> [UInt8] {
        be((persistent ? 0 : 1) << 62 | seq, bytes: 8) + pubBody(id: id, size: size)
            + be(UInt64(embedded.count), bytes: 4) + embedded
    }

    static func jDel(_ seq: UInt64) -> [UInt8] { be(2 << 62 | seq, bytes: 8) }
    static func jAck(_ seq: UInt64) -> [UInt8] { be(3 << 62 | seq, bytes: 8) }

    // MARK: CQv2

    static func qiHeader(segment: UInt64, entries: UInt64, magic: UInt32 = 0x5243_5149, version: UInt8 = 2) -> [UInt8] {
        be(UInt64(magic), bytes: 4) + [version] + be(segment * entries, bytes: 8)
            + be(segment * entries + entries, bytes: 8) + [UInt8](repeating: 0, count: 43)
    }

    enum Location {
        case memory
        case sharedStore(id: UInt8)
        case queueStore(offset: UInt64, size: UInt32)

        var bytes: [UInt8] {
            switch self {
            case .memory: return [UInt8](repeating: 0, count: 17)
            case .sharedStore(let id): return [1] + [UInt8](repeating: id, count: 16)
            case .queueStore(let offset, let size): return [2] + be(offset, bytes: 8) + be(UInt64(size), bytes: 4) + [0, 0, 0, 0]
            }
        }
    }

    static func qiEntry(status: UInt8 = 1, persistent: Bool = true, location: Location, size: UInt32 = 100) -> [UInt8] {
        [status, persistent ? 1 : 0, 0] + location.bytes + be(UInt64(size), bytes: 4) + be(0, bytes: 8)
    }

    static let qiAbsent = [UInt8](repeating: 0, count: 32)
}
