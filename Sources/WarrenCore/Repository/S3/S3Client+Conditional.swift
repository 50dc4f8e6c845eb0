import Foundation

/// The compare-and-swap operations the bucket lock needs: an object read with its ETag and
/// the server's clock, a PUT that replaces only the version read (`If-Match`) or creates only
/// when absent (`If-None-Match: *`), and a DELETE of only the version read.
extension S3Client {
    /// What a PUT requires of the object already under its key.
    public enum PutCondition: Sendable, Equatable {
        /// Nothing: the PUT replaces whatever is there.
        case none
        /// `If-None-Match: *`: only when the key does not exist.
        case absent
        /// `If-Match: ETAG`: only when the object is still this version.
        case matching(etag: String)
    }

    /// An object as read, with what a compare-and-swap and a lease need.
    public struct Versioned: Sendable, Equatable {
        public let body: [UInt8]
        /// The `ETag` header, quotes included (as `If-Match` takes it); nil when the server sent none.
        public let etag: String?
        /// `Last-Modified`, by the server's clock.
        public let lastModified: Date?
        /// The answer's `Date` header: the server's clock now.
        public let serverDate: Date?
    }

    /// The object under `key` with its version, or nil when it does not exist.
    public func getVersioned(_ key: String) throws -> Versioned? {
        let response = try send(S3Request(.get, key: key))
        if response.status == 404, response.errorCodeAndMessage?.code != "NoSuchBucket" { return nil }
        guard response.status == 200 else { throw failure(response, key: key) }
        return Versioned(
            body: response.body, etag: response.headers["etag"],
            lastModified: response.headers["last-modified"].flatMap(S3Dates.parseHTTP),
            serverDate: response.headers["date"].flatMap(S3Dates.parseHTTP))
    }

    /// PUT `bytes` under `key` when `condition` holds. Returns the new version's ETag (the
    /// empty string when the server sent none), or nil when the condition failed (HTTP 412,
    /// or 409 for a racing writer).
    public func putObject(_ key: String, _ bytes: [UInt8], condition: PutCondition) throws -> String? {
        var headers: [(name: String, value: String)] = []
        switch condition {
        case .none: break
        case .absent: headers.append((name: "if-none-match", value: "*"))
        case let .matching(etag): headers.append((name: "if-match", value: etag))
        }
        let response = try require(S3Request(.put, key: key, headers: headers, body: bytes), accepting: condition == .none ? [] : [409, 412])
        guard (200..<300).contains(response.status) else { return nil }
        return response.headers["etag"] ?? ""
    }

    /// Deletes `key` only while it is still the version `etag` (`If-Match`). Returns false
    /// when another version is there now (HTTP 412); a missing key counts as deleted.
    public func deleteObject(_ key: String, ifMatch etag: String) throws -> Bool {
        let response = try require(S3Request(.delete, key: key, headers: [(name: "if-match", value: etag)]), accepting: [404, 409, 412])
        return response.status != 412 && response.status != 409
    }
}
