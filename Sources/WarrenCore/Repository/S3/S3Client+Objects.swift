import Foundation

/// The object operations Warren's storage needs: PUT (optionally put-if-absent), GET, HEAD,
/// DELETE and ListObjectsV2 with paging.
extension S3Client {
    /// What a PUT did.
    public enum PutOutcome: Sendable, Equatable {
        case written
        /// `If-None-Match: *` and the key already existed (HTTP 412, or 409 for a racing writer).
        case alreadyPresent
    }

    /// PUT `bytes` under `key`; `ifNoneMatch` sends `If-None-Match: *`, so an existing key is
    /// left as it is.
    @discardableResult
    public func putObject(_ key: String, _ bytes: [UInt8], ifNoneMatch: Bool = false) throws -> PutOutcome {
        let request = S3Request(.put, key: key, headers: ifNoneMatch ? [(name: "if-none-match", value: "*")] : [], body: bytes)
        let response = try require(request, accepting: ifNoneMatch ? [409, 412] : [])
        return (200..<300).contains(response.status) ? .written : .alreadyPresent
    }

    /// The object's content, or nil when the key does not exist.
    public func getObject(_ key: String) throws -> [UInt8]? {
        let response = try send(S3Request(.get, key: key))
        if response.status == 404, response.errorCodeAndMessage?.code != "NoSuchBucket" { return nil }
        guard response.status == 200 else { throw failure(response, key: key) }
        return response.body
    }

    /// The bytes `range` of the object (a ranged GET, HTTP 206), or nil when the key does not
    /// exist. A server that ignores `Range` and answers the whole object (200) is cut to the range.
    public func getObject(_ key: String, range: Range<Int64>) throws -> [UInt8]? {
        precondition(!range.isEmpty, "a ranged GET of no bytes")
        let response = try send(S3Request(.get, key: key, headers: [(name: "range", value: "bytes=\(range.lowerBound)-\(range.upperBound - 1)")],
                                          operation: "GET \(key) bytes \(range.lowerBound)-\(range.upperBound - 1)"))
        if response.status == 404, response.errorCodeAndMessage?.code != "NoSuchBucket" { return nil }
        switch response.status {
        case 206:
            guard response.body.count == range.count else {
                throw S3Error.invalidResponse(endpoint: endpoint.description, bucket: bucket, key: key,
                                              detail: "a ranged GET of \(range.count) bytes answered \(response.body.count)")
            }
            return response.body
        case 200 where response.body.count >= Int(range.upperBound):
            return Array(response.body[Int(range.lowerBound)..<Int(range.upperBound)])
        default:
            throw failure(response, key: key)
        }
    }

    /// The object's size, or nil when the key does not exist. (A HEAD answer has no body: a
    /// refused signature shows only as 403.)
    public func headObject(_ key: String) throws -> Int64? {
        let response = try send(S3Request(.head, key: key))
        if response.status == 404 { return nil }
        guard response.status == 200 else { throw failure(response, key: key) }
        guard let size = response.headers["content-length"].flatMap(Int64.init) else {
            throw S3Error.invalidResponse(endpoint: endpoint.description, bucket: bucket, key: key, detail: "HEAD answered without Content-Length")
        }
        return size
    }

    /// Deletes `key`; a missing key is not an error (S3 answers 204 either way).
    public func deleteObject(_ key: String) throws {
        try require(S3Request(.delete, key: key), accepting: [404])
    }

    /// One object or common prefix a listing found.
    public struct Listed: Sendable, Equatable {
        /// The full key (or the common prefix, with its trailing delimiter).
        public let key: String
        /// nil for a common prefix.
        public let size: Int64?
        /// When the object was last written, by the server's clock (`LastModified`); nil for
        /// a common prefix or a server that sends none.
        public let lastModified: Date?
        /// The object's `ETag` as listed (quotes included); nil for a common prefix.
        public let etag: String?

        public init(key: String, size: Int64?, lastModified: Date? = nil, etag: String? = nil) {
            self.key = key
            self.size = size
            self.lastModified = lastModified
            self.etag = etag
        }
    }

    /// Every key under `prefix` (ListObjectsV2), following continuation tokens until the last
    /// page. With `delimiter` ("/"), keys below a further delimiter are rolled up into common
    /// prefixes, as a directory listing. `pageSize` is `max-keys` (1,000 is S3's maximum).
    public func listObjects(prefix: String, delimiter: String? = nil, pageSize: Int = 1000) throws -> [Listed] {
        var found: [Listed] = []
        var token: String?
        repeat {
            var query: [(name: String, value: String)] = [(name: "list-type", value: "2"), (name: "prefix", value: prefix),
                                                          (name: "max-keys", value: String(pageSize))]
            if let delimiter { query.append((name: "delimiter", value: delimiter)) }
            if let token { query.append((name: "continuation-token", value: token)) }
            let response = try send(S3Request(.get, key: nil, query: query, operation: "ListObjectsV2 \(prefix)"))
            // Errors name the prefix listed, as the key they are about.
            guard response.status == 200 else { throw failure(response, key: prefix) }
            guard let root = S3XMLElement.parse(response.body), root.name == "ListBucketResult" else {
                throw S3Error.invalidResponse(endpoint: endpoint.description, bucket: bucket, key: prefix, detail: "ListObjectsV2 did not answer a ListBucketResult")
            }
            for item in root.all("Contents") {
                guard let key = item.text(of: "Key") else { continue }
                found.append(Listed(key: key, size: item.text(of: "Size").flatMap(Int64.init),
                                   lastModified: item.text(of: "LastModified").flatMap(S3Dates.parseISO8601),
                                   etag: item.text(of: "ETag")))
            }
            for common in root.all("CommonPrefixes") {
                if let key = common.text(of: "Prefix") { found.append(Listed(key: key, size: nil)) }
            }
            let truncated = root.text(of: "IsTruncated") == "true"
            token = truncated ? root.text(of: "NextContinuationToken") : nil
            if truncated, token?.isEmpty != false {
                throw S3Error.invalidResponse(endpoint: endpoint.description, bucket: bucket, key: prefix, detail: "a truncated listing without NextContinuationToken")
            }
        } while token != nil
        return found
    }
}
