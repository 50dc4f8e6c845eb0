import Crypto

/// The directory names RabbitMQ derives from vhost and queue names
/// (`rabbit_vhost:dir/1`, `rabbit_classic_queue_index_v2:queue_dir/2`):
/// base-36 of the MD5 digest read as one big-endian 128-bit integer, upper case, unpadded.
public enum RabbitDirectoryName {
    /// `base36(md5(vhost))`.
    public static func vhost(_ vhost: String) -> String {
        base36(md5(Array(vhost.utf8)))
    }

    /// `base36(md5("queue" ++ vhost ++ queue))`; for a priority queue's level P the name is
    /// `queue ++ <<0, P>>` (checked on a real 3.10.8 node).
    public static func queue(vhost: String, queue: String, priority: Int? = nil) -> String {
        let level: [UInt8] = priority.map { [0, UInt8(clamping: $0)] } ?? []
        return base36(md5(Array("queue".utf8) + Array(vhost.utf8) + Array(queue.utf8) + level))
    }

    static func md5(_ bytes: [UInt8]) -> [UInt8] {
        Array(Insecure.MD5.hash(data: bytes))
    }

    /// Base-36 of a big-endian unsigned integer of any width, by repeated long division.
    static func base36(_ bigEndian: [UInt8]) -> String {
        let alphabet = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ".utf8)
        var number = bigEndian
        var digits: [UInt8] = []
        while number.contains(where: { $0 != 0 }) {
            var remainder = 0
            for i in number.indices {
                let value = remainder << 8 | Int(number[i])
                number[i] = UInt8(value / 36)
                remainder = value % 36
            }
            digits.append(alphabet[remainder])
        }
        if digits.isEmpty { return "0" }
        return String(decoding: digits.reversed(), as: UTF8.self)
    }
}
