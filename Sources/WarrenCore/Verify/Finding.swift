/// One thing `verify` found, with what it concerns. Encoded with every key present
/// (null when not applicable), so consumers can rely on the shape.
public struct Finding: Sendable, Equatable, Codable {
    public enum Severity: String, Sendable, Codable, Comparable, CaseIterable {
        case error, warning, info

        public static func < (lhs: Severity, rhs: Severity) -> Bool {
            allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
        }
    }

    public var code: FindingCode
    public var severity: Severity
    public var vhost: String?
    public var queue: String?
    /// Relative to `msg_stores/` for stored files; the object path for repository objects.
    public var path: String?
    public var message: String

    public init(_ code: FindingCode, vhost: String? = nil, queue: String? = nil, path: String? = nil, _ message: String) {
        self.code = code
        severity = code.severity
        self.vhost = vhost
        self.queue = queue
        self.path = path
        self.message = message
    }

    enum CodingKeys: String, CodingKey { case code, severity, vhost, queue, path, message }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(code, forKey: .code)
        try c.encode(severity, forKey: .severity)
        try c.encode(vhost, forKey: .vhost)
        try c.encode(queue, forKey: .queue)
        try c.encode(path, forKey: .path)
        try c.encode(message, forKey: .message)
    }
}
