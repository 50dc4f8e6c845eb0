import Crypto
import Foundation

/// AWS Signature Version 4 for S3, header-based (`Authorization: AWS4-HMAC-SHA256 …`), as
/// AWS's "Signature Calculations for the Authorization Header: Transferring Payload in a
/// Single Chunk" describes it; its worked examples are the signer's tests.
///
/// - canonical request: `METHOD\nURI\nQUERY\nHEADERS\n\nSIGNED_HEADERS\nPAYLOAD_HASH`, the URI
///   encoded once per segment, the query sorted and encoded, the headers lower-cased, trimmed
///   and sorted;
/// - string to sign: `AWS4-HMAC-SHA256\n<timestamp>\n<date>/<region>/s3/aws4_request\n<hex SHA-256 of the canonical request>`;
/// - signing key: HMAC-SHA256 chained from `"AWS4" + secret` through date, region, `s3`, `aws4_request`.
public struct SigV4Signer: Sendable {
    public let credentials: S3Credentials
    public let service: String

    public init(credentials: S3Credentials, service: String = "s3") {
        self.credentials = credentials
        self.service = service
    }

    /// What signing produced: the intermediate strings (for tests and debugging) and the
    /// headers to send, `Authorization` included.
    public struct Signature: Sendable {
        public let canonicalRequest: String
        public let stringToSign: String
        /// 64 lower-case hex digits.
        public let signature: String
        public let authorization: String
        /// Every header to send: the caller's, `x-amz-date`, `x-amz-content-sha256` and `authorization`.
        public let headers: [(name: String, value: String)]
    }

    /// The SHA-256 in hex of an empty payload.
    public static let emptyPayloadHash = hexSHA256([UInt8]())

    /// Signs a request. `path` is the raw (unencoded) absolute path, e.g. `/bucket/a b.txt`;
    /// `headers` must hold `host` and every other header to sign (all given headers are
    /// signed); `x-amz-date` and `x-amz-content-sha256` are added when absent.
    public func sign(method: String, path: String, query: [(name: String, value: String)],
                     headers: [(name: String, value: String)], payloadHash: String, date: Date) -> Signature {
        let (timestamp, day) = Self.timestamps(date)
        var all = headers.map { (name: $0.name.lowercased(), value: Self.trimmed($0.value)) }
        if !all.contains(where: { $0.name == "x-amz-date" }) { all.append((name: "x-amz-date", value: timestamp)) }
        if !all.contains(where: { $0.name == "x-amz-content-sha256" }) { all.append((name: "x-amz-content-sha256", value: payloadHash)) }
        // Sorted by name; repeated names keep their order and are joined with commas.
        var merged: [String: [String]] = [:]
        for header in all { merged[header.name, default: []].append(header.value) }
        let names = merged.keys.sorted()
        let canonicalHeaders = names.map { "\($0):\(merged[$0]!.joined(separator: ","))\n" }.joined()
        let signedHeaders = names.joined(separator: ";")
        let encoded: [(name: String, value: String)] = query.map {
            (name: AWSURIEncoding.queryComponent($0.name), value: AWSURIEncoding.queryComponent($0.value))
        }
        let sorted = encoded.sorted { (a: (name: String, value: String), b: (name: String, value: String)) -> Bool in
            a.name == b.name ? a.value < b.value : a.name < b.name
        }
        let canonicalQuery = sorted.map { (pair: (name: String, value: String)) -> String in pair.name + "=" + pair.value }
            .joined(separator: "&")
        let canonicalRequest = [method, AWSURIEncoding.path(path), canonicalQuery, canonicalHeaders, signedHeaders, payloadHash]
            .joined(separator: "\n")
        let scope = "\(day)/\(credentials.region)/\(service)/aws4_request"
        let stringToSign = ["AWS4-HMAC-SHA256", timestamp, scope, Self.hexSHA256(Array(canonicalRequest.utf8))]
            .joined(separator: "\n")
        var key = SymmetricKey(data: Array("AWS4\(credentials.secretAccessKey)".utf8))
        for part in [day, credentials.region, service, "aws4_request"] {
            key = SymmetricKey(data: Data(HMAC<SHA256>.authenticationCode(for: Array(part.utf8), using: key)))
        }
        let signature = Self.hex(HMAC<SHA256>.authenticationCode(for: Array(stringToSign.utf8), using: key))
        let authorization = "AWS4-HMAC-SHA256 Credential=\(credentials.accessKeyID)/\(scope),SignedHeaders=\(signedHeaders),Signature=\(signature)"
        return Signature(canonicalRequest: canonicalRequest, stringToSign: stringToSign, signature: signature,
                         authorization: authorization, headers: all + [(name: "authorization", value: authorization)])
    }

    public static func hexSHA256(_ bytes: some DataProtocol) -> String { hex(SHA256.hash(data: bytes)) }

    static func hex(_ bytes: some Sequence<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        for byte in bytes { out.append(digits[Int(byte >> 4)]); out.append(digits[Int(byte & 0x0f)]) }
        return String(decoding: out, as: UTF8.self)
    }

    /// `20130524T000000Z` and `20130524`, in UTC.
    static func timestamps(_ date: Date) -> (String, String) {
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        gmtime_r(&seconds, &parts)
        let day = String(format: "%04d%02d%02d", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1, Int(parts.tm_mday))
        return (day + String(format: "T%02d%02d%02dZ", Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec)), day)
    }

    /// Leading and trailing spaces removed, inner runs of spaces made one.
    static func trimmed(_ value: String) -> String {
        value.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
    }
}
