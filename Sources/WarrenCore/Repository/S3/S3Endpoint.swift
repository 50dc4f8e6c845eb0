/// Where an S3 server listens: `http` or `https`, host and port. Requests are path-style
/// (`http://host:port/bucket/key`), which every S3-compatible server accepts.
public struct S3Endpoint: Sendable, Equatable, CustomStringConvertible {
    public enum Scheme: String, Sendable {
        case http, https

        var defaultPort: Int { self == .http ? 80 : 443 }
    }

    public let scheme: Scheme
    public let host: String
    public let port: Int

    public init(scheme: Scheme, host: String, port: Int? = nil) {
        self.scheme = scheme
        self.host = host
        self.port = port ?? scheme.defaultPort
    }

    /// The `Host` header, signed: the port only when it is not the scheme's default.
    public var hostHeader: String {
        let name = host.contains(":") ? "[\(host)]" : host
        return port == scheme.defaultPort ? name : "\(name):\(port)"
    }

    /// `http://127.0.0.1:8333`.
    public var description: String { "\(scheme.rawValue)://\(hostHeader)" }
}
