import Foundation

/// Multipart upload, for objects too large for one PUT to be wise: CreateMultipartUpload,
/// one UploadPart per `partSize` bytes (each retried on its own), CompleteMultipartUpload
/// (with `If-None-Match: *` for put-if-absent). A failure aborts the upload, so no parts are
/// left behind to be billed.
extension S3Client {
    /// S3's smallest part (every part but the last must be at least this).
    public static let minimumPartSize = 5 << 20

    /// Uploads `bytes` in parts of `partSize` bytes.
    @discardableResult
    public func putObjectMultipart(_ key: String, _ bytes: [UInt8], partSize: Int = 16 << 20, ifNoneMatch: Bool = false) throws -> PutOutcome {
        try putObjectMultipart(key, size: Int64(bytes.count), partSize: partSize, ifNoneMatch: ifNoneMatch) { range in
            Array(bytes[Int(range.lowerBound)..<Int(range.upperBound)])
        }
    }

    /// Uploads `size` bytes in parts of `partSize` bytes, asking `part` for each part's bytes
    /// (`offset..<end` of the object) only when it is sent: one part is in memory at a time,
    /// so an object of any size can come from a file.
    @discardableResult
    public func putObjectMultipart(
        _ key: String, size: Int64, partSize: Int = 16 << 20, ifNoneMatch: Bool = false, part: (Range<Int64>) throws -> [UInt8]
    ) throws -> PutOutcome {
        let partSize = Int64(max(partSize, Self.minimumPartSize))
        let created = try require(S3Request(.post, key: key, query: [(name: "uploads", value: "")], operation: "CreateMultipartUpload \(key)"))
        guard let root = S3XMLElement.parse(created.body), let uploadID = root.text(of: "UploadId"), !uploadID.isEmpty else {
            throw S3Error.invalidResponse(endpoint: endpoint.description, bucket: bucket, key: key, detail: "CreateMultipartUpload answered no UploadId")
        }
        do {
            var etags: [String] = []
            var offset: Int64 = 0
            repeat {
                let end = min(offset + partSize, size)
                let number = etags.count + 1
                let answer = try require(S3Request(
                    .put, key: key, query: [(name: "partNumber", value: String(number)), (name: "uploadId", value: uploadID)],
                    body: try part(offset..<end), operation: "UploadPart \(number) of \(key)"))
                guard let etag = answer.headers["etag"] else {
                    throw S3Error.invalidResponse(endpoint: endpoint.description, bucket: bucket, key: key, detail: "UploadPart \(number) answered no ETag")
                }
                etags.append(etag)
                offset = end
            } while offset < size
            let parts = etags.enumerated().map { "<Part><PartNumber>\($0.offset + 1)</PartNumber><ETag>\(Self.xmlEscaped($0.element))</ETag></Part>" }
            let body = Array("<CompleteMultipartUpload>\(parts.joined())</CompleteMultipartUpload>".utf8)
            let complete = try require(S3Request(
                .post, key: key, query: [(name: "uploadId", value: uploadID)],
                headers: ifNoneMatch ? [(name: "if-none-match", value: "*")] : [], body: body,
                operation: "CompleteMultipartUpload \(key)"), accepting: ifNoneMatch ? [409, 412] : [])
            // S3 may answer 200 with an <Error> body when the completion fails late.
            if (200..<300).contains(complete.status), let error = complete.errorCodeAndMessage {
                throw S3Error.server(endpoint: endpoint.description, bucket: bucket, key: key, status: complete.status, code: error.code, message: error.message)
            }
            if !(200..<300).contains(complete.status) {
                abort(key, uploadID)
                return .alreadyPresent
            }
            return .written
        } catch {
            abort(key, uploadID)
            throw error
        }
    }

    private func abort(_ key: String, _ uploadID: String) {
        _ = try? send(S3Request(.delete, key: key, query: [(name: "uploadId", value: uploadID)], operation: "AbortMultipartUpload \(key)"))
    }

    static func xmlEscaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
