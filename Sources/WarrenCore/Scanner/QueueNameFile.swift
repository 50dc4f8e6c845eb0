/// The contents of a queue directory's `.queue_name`:
/// `"VHOST: <vhost>\nQUEUE: <name>\n"`, plus `"INDEX: v2\n"` for CQv2.
/// The names are data: Warren never builds a path from them.
public struct QueueNameFile: Sendable, Equatable {
    public var vhost: String
    public var queue: String
    /// 2 when the file says `INDEX: v2`, else 1.
    public var indexVersion: Int

    /// Parses the raw bytes; the error text says what is wrong, for the caller to attach a path.
    public static func parse(_ bytes: [UInt8]) -> Result<QueueNameFile, NameFileError> {
        guard let text = String(validating: bytes, as: UTF8.self) else { return .failure(.init("is not valid UTF-8")) }
        guard !text.contains("\0") else { return .failure(.init("contains a NUL byte")) }
        let vhostPrefix = "VHOST: ", queuePrefix = "\nQUEUE: "
        guard text.hasPrefix(vhostPrefix) else { return .failure(.init("does not start with \"VHOST: \"")) }
        let afterVhost = text.dropFirst(vhostPrefix.count)
        guard let queueRange = afterVhost.range(of: queuePrefix) else {
            return .failure(.init("has no \"QUEUE: \" line"))
        }
        let vhost = String(afterVhost[..<queueRange.lowerBound])
        var rest = afterVhost[queueRange.upperBound...]
        var version = 1
        if rest.hasSuffix("\nINDEX: v2\n") {
            version = 2
            rest = rest.dropLast("INDEX: v2\n".count)
        }
        guard rest.hasSuffix("\n") else { return .failure(.init("does not end with a newline")) }
        let queue = String(rest.dropLast())
        guard !queue.contains("\n") else { return .failure(.init("has unexpected lines after the queue name")) }
        guard !vhost.isEmpty else { return .failure(.init("names an empty vhost")) }
        guard queue.utf8.count <= 255 else { return .failure(.init("names a queue longer than 255 bytes")) }
        return .success(QueueNameFile(vhost: vhost, queue: queue, indexVersion: version))
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
