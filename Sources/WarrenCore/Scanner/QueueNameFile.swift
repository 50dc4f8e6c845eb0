/// The contents of a queue directory's `.queue_name`:
/// `"VHOST: <vhost>\nQUEUE: <name>\n"`, plus `"INDEX: v2\n"` for CQv2.
/// A priority queue (`x-max-priority`) keeps one directory per level, whose name line is
/// `<name>\0<priority byte>` (`rabbit_priority_queue:mutate_name/2`).
/// The names are data: Warren never builds a path from them.
public struct QueueNameFile: Sendable, Equatable {
    public var vhost: String
    /// The queue's name, without a priority level's `\0<byte>` suffix.
    public var queue: String
    /// 2 when the file says `INDEX: v2`, else 1.
    public var indexVersion: Int
    /// The priority level (0-255) of a priority queue's sub-queue directory; nil for a plain queue.
    public var priority: Int?

    public init(vhost: String, queue: String, indexVersion: Int, priority: Int? = nil) {
        self.vhost = vhost
        self.queue = queue
        self.indexVersion = indexVersion
        self.priority = priority
    }

    /// Parses the raw bytes; the error text says what is wrong, for the caller to attach a path.
    /// Works on bytes, not Characters: to Swift "\r\n" is one Character, which made a CRLF
    /// file read as "does not end with a newline".
    public static func parse(_ raw: [UInt8]) -> Result<QueueNameFile, NameFileError> {
        // A priority level's `\0<byte>` is taken off first: the byte may be anything (0x0A
        // for level 10, 0x0D, >= 0x80), and every other NUL, CR or bad byte stays an error.
        let (bytes, priority) = splitPriority(raw)
        guard String(validating: bytes, as: UTF8.self) != nil else { return .failure(.init("is not valid UTF-8")) }
        guard !bytes.contains(0) else { return .failure(.init("contains a NUL byte")) }
        if hasCRLFLineEndings(bytes) {
            return .failure(.init("has Windows (CRLF) line endings; RabbitMQ writes \"VHOST: …\\nQUEUE: …\\n\" with LF only, so this copy went through a text conversion (a Windows share, FTP in ASCII mode, git autocrlf). Copy msg_stores from the node again with `cp -a`"))
        }
        let vhostPrefix = Array("VHOST: ".utf8), queuePrefix = Array("\nQUEUE: ".utf8)
        guard bytes.starts(with: vhostPrefix) else { return .failure(.init("does not start with \"VHOST: \"")) }
        guard let queueAt = firstIndex(of: queuePrefix, in: bytes, from: vhostPrefix.count) else {
            return .failure(.init("has no \"QUEUE: \" line"))
        }
        let vhost = bytes[vhostPrefix.count..<queueAt]
        var rest = bytes[(queueAt + queuePrefix.count)...]
        var version = 1
        let indexLine = Array("\nINDEX: v2\n".utf8)
        if rest.count >= indexLine.count, rest.suffix(indexLine.count).elementsEqual(indexLine) {
            version = 2
            rest = rest.dropLast(indexLine.count - 1)
        }
        guard rest.last == 0x0A else { return .failure(.init("does not end with a newline")) }
        let queue = rest.dropLast()
        guard !queue.contains(0x0A) else { return .failure(.init("has unexpected lines after the queue name")) }
        guard !vhost.isEmpty else { return .failure(.init("names an empty vhost")) }
        guard queue.count <= 255 else { return .failure(.init("names a queue longer than 255 bytes")) }
        return .success(QueueNameFile(vhost: String(decoding: vhost, as: UTF8.self), queue: String(decoding: queue, as: UTF8.self),
                                      indexVersion: version, priority: priority))
    }

    /// `(bytes without "\0<byte>" before the name line's newline, that byte)`, or the bytes
    /// unchanged and nil when the name line does not end that way.
    static func splitPriority(_ bytes: [UInt8]) -> ([UInt8], Int?) {
        let indexLine = Array("\nINDEX: v2\n".utf8)
        var end = bytes.count - 1  // the newline ending the QUEUE line
        if bytes.count >= indexLine.count, bytes.suffix(indexLine.count).elementsEqual(indexLine) {
            end = bytes.count - indexLine.count
        }
        guard end >= 2, bytes[end] == 0x0A, bytes[end - 2] == 0 else { return (bytes, nil) }
        var stripped = bytes
        stripped.removeSubrange((end - 2)..<end)
        return (stripped, Int(bytes[end - 1]))
    }

    /// Every line ends with CR LF (at least two lines): a text-mode conversion, not a name
    /// that happens to end with a CR.
    static func hasCRLFLineEndings(_ bytes: [UInt8]) -> Bool {
        let newlines = bytes.indices.filter { bytes[$0] == 0x0A }
        return newlines.count >= 2 && newlines.allSatisfy { $0 > 0 && bytes[$0 - 1] == 0x0D }
    }

    private static func firstIndex(of needle: [UInt8], in bytes: [UInt8], from start: Int) -> Int? {
        guard bytes.count >= needle.count else { return nil }
        var i = start
        while i + needle.count <= bytes.count {
            if bytes[i] == needle[0], bytes[i..<i + needle.count].elementsEqual(needle) { return i }
            i += 1
        }
        return nil
    }

    /// Parses a `.vhost` file: the vhost name as raw bytes, no newline.
    public static func parseVhost(_ bytes: [UInt8]) -> Result<String, NameFileError> {
        guard !bytes.isEmpty else { return .failure(.init("is empty")) }
        guard let text = String(validating: bytes, as: UTF8.self) else { return .failure(.init("is not valid UTF-8")) }
        guard !text.contains("\0") else { return .failure(.init("contains a NUL byte")) }
        return .success(text)
    }
}

/// Why a `.queue_name` or `.vhost` file is malformed.
public struct NameFileError: Error, Sendable, Equatable {
    public var reason: String
    init(_ reason: String) { self.reason = reason }
}
