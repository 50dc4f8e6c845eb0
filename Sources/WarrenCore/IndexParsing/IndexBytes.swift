/// Big-endian field reads for the index parsers. Callers check bounds first.
enum IndexBytes {
    static func u16<C: RandomAccessCollection<UInt8>>(_ bytes: C, _ offset: C.Index) -> UInt16
    where C.Index == Int {
        UInt16(bytes[offset]) << 8 | UInt16(bytes[offset + 1])
    }

    static func u32<C: RandomAccessCollection<UInt8>>(_ bytes: C, _ offset: C.Index) -> UInt32
    where C.Index == Int {
        var value: UInt32 = 0
        for i in offset..<offset + 4 { value = value << 8 | UInt32(bytes[i]) }
        return value
    }

    static func u64<C: RandomAccessCollection<UInt8>>(_ bytes: C, _ offset: C.Index) -> UInt64
    where C.Index == Int {
        var value: UInt64 = 0
        for i in offset..<offset + 8 { value = value << 8 | UInt64(bytes[i]) }
        return value
    }

    /// Whether `bytes[range]` are all zero.
    static func allZero(_ bytes: [UInt8], _ range: Range<Int>) -> Bool {
        !bytes[range].contains(where: { $0 != 0 })
    }

    /// The broker's hard limit on a message (`rabbit_channel:get_max_message_size/0`,
    /// 512 MiB): no embedded body can be longer.
    static let maxMessageSize: UInt32 = 536_870_912
}
