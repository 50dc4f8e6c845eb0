/// One S3 operation to send: path-style, against the client's bucket. `key` nil addresses the
/// bucket itself (ListObjectsV2).
public struct S3Request: Sendable {
    public enum Method: String, Sendable {
        case get = "GET", put = "PUT", head = "HEAD", delete = "DELETE", post = "POST"
    }

    public var method: Method
    public var key: String?
    public var query: [(name: String, value: String)]
    /// Extra headers to send and sign (`If-None-Match`, `Content-Type`, …).
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]
    /// For messages and time-outs: "PUT manifests/…", "ListObjectsV2 manifests/".
    public var operation: String

    public init(_ method: Method, key: String?, query: [(name: String, value: String)] = [],
                headers: [(name: String, value: String)] = [], body: [UInt8] = [], operation: String? = nil) {
        self.method = method
        self.key = key
        self.query = query
        self.headers = headers
        self.body = body
        self.operation = operation ?? "\(method.rawValue) \(key ?? "/")"
    }
}
