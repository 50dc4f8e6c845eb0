import Foundation

/// A repository in an S3 bucket, written restic-style: `s3:http://HOST:PORT/BUCKET/PREFIX`
/// (or `https`). The prefix may be empty or hold several segments (`backups/rabbit`).
public struct S3Location: Sendable, Equatable, CustomStringConvertible {
    public let endpoint: S3Endpoint
    public let bucket: String
    /// Without leading or trailing `/`; empty for the bucket's root.
    public let prefix: String

    public init(endpoint: S3Endpoint, bucket: String, prefix: String = "") {
        self.endpoint = endpoint
        self.bucket = bucket
        self.prefix = prefix
    }

    /// The URL as Warren writes it back: `s3:http://127.0.0.1:8333/warren/backups`.
    public var description: String { "s3:\(endpoint)/\(bucket)" + (prefix.isEmpty ? "" : "/\(prefix)") }

    /// The object key of `name` in this repository.
    public func key(_ relative: String) -> String { prefix.isEmpty ? relative : prefix + "/" + relative }

    /// Parses `s3:http(s)://HOST[:PORT]/BUCKET[/PREFIX]`.
    /// - Throws: ``WarrenError/invalidArgument(name:reason:)`` saying what is wrong and what the form is.
    public static func parse(_ text: String) throws -> S3Location {
        func refuse(_ why: String) -> WarrenError {
            .invalidArgument(name: "--repo", reason: "\(text): \(why); an S3 repository is written s3:http://HOST:PORT/BUCKET/PREFIX (or s3:https://…)")
        }
        guard text.hasPrefix("s3:") else { throw refuse("it does not start with s3:") }
        let rest = String(text.dropFirst(3))
        guard let url = URLComponents(string: rest), let schemeText = url.scheme?.lowercased() else {
            throw refuse("it is not a URL")
        }
        guard let scheme = S3Endpoint.Scheme(rawValue: schemeText) else {
            throw refuse("the scheme is \(schemeText)://, only http:// and https:// are known (s3://BUCKET without an endpoint is not supported)")
        }
        guard let host = url.host, !host.isEmpty else { throw refuse("it names no host") }
        guard url.user == nil, url.password == nil else {
            throw refuse("it carries credentials; put them in AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY instead")
        }
        guard url.query == nil, url.fragment == nil else { throw refuse("it has a query or fragment") }
        if let port = url.port, !(1...65535).contains(port) { throw refuse("port \(port) is out of range") }
        let segments = url.path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        guard let bucket = segments.first else { throw refuse("it names no bucket") }
        guard isValidBucket(bucket) else {
            throw refuse("\(bucket) is not a valid bucket name (3 to 63 characters: lower-case letters, digits, '.' and '-', starting and ending with a letter or digit)")
        }
        let prefix = segments.dropFirst()
        guard !prefix.contains(where: { $0 == "." || $0 == ".." }) else { throw refuse("its prefix has a . or .. segment") }
        return S3Location(endpoint: S3Endpoint(scheme: scheme, host: host, port: url.port), bucket: bucket, prefix: prefix.joined(separator: "/"))
    }

    /// S3's (DNS-style) bucket naming rules; SeaweedFS refuses the same names.
    static func isValidBucket(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        guard (3...63).contains(bytes.count) else { return false }
        func alnum(_ b: UInt8) -> Bool { (b >= 97 && b <= 122) || (b >= 48 && b <= 57) }
        guard alnum(bytes.first!), alnum(bytes.last!) else { return false }
        return bytes.allSatisfy { alnum($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: ".") }
    }
}
