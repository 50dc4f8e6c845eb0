/// Why an S3 request, or an S3 repository, could not be used. Each case names the endpoint,
/// bucket and key it is about, says how to fix it, and maps to a stable exit code: refused
/// credentials are exit 2 (as a repository that cannot be opened), every other S3 failure 22.
public enum S3Error: Error, Sendable, Equatable, CustomStringConvertible {
    /// The server computed another signature: the secret key is wrong (or a proxy changed the request).
    case signatureMismatch(endpoint: String, bucket: String, key: String?)
    /// The server refused the access key or its rights (`InvalidAccessKeyId`, `AccessDenied`).
    case accessDenied(endpoint: String, bucket: String, key: String?, code: String, message: String)
    /// The bucket does not exist.
    case noSuchBucket(endpoint: String, bucket: String)
    /// Any other error answer, after the retries a 5xx gets.
    case server(endpoint: String, bucket: String, key: String?, status: Int, code: String, message: String)
    /// No connection could be made (refused, reset, no route), after `attempts` tries.
    case unreachable(endpoint: String, detail: String, attempts: Int)
    /// No complete answer within `seconds` for each of `attempts` tries.
    case timedOut(endpoint: String, operation: String, seconds: Double, attempts: Int)
    /// An answer Warren cannot read (an XML body that is not what S3 sends).
    case invalidResponse(endpoint: String, bucket: String, key: String?, detail: String)
    /// `AWS_ACCESS_KEY_ID` or `AWS_SECRET_ACCESS_KEY` is not set.
    case missingCredentials(variable: String)
    /// A blocking S3 call was made on a SwiftNIO event loop thread, where waiting would deadlock.
    case calledOnEventLoop(operation: String)
    /// The repository is an S3 URL, and `operation` cannot yet run on S3; `remaining` says what is missing.
    case notYetSupported(url: String, operation: String, remaining: String)

    /// 2 for credentials the server refused (the repository cannot be opened), else 22.
    public var exitCode: Int32 {
        switch self {
        case .signatureMismatch, .accessDenied, .noSuchBucket: return 2
        default: return 22
        }
    }

    /// A stable machine-readable code, used in JSON error bodies.
    public var code: String {
        switch self {
        case .signatureMismatch: return "s3_signature_mismatch"
        case .accessDenied: return "s3_access_denied"
        case .noSuchBucket: return "s3_no_such_bucket"
        case .server: return "s3_error"
        case .unreachable: return "s3_unreachable"
        case .timedOut: return "s3_timeout"
        case .invalidResponse: return "s3_invalid_response"
        case .missingCredentials: return "s3_missing_credentials"
        case .calledOnEventLoop: return "s3_called_on_event_loop"
        case .notYetSupported: return "s3_not_yet_supported"
        }
    }

    public var description: String {
        func object(_ bucket: String, _ key: String?) -> String { key.map { "s3://\(bucket)/\($0)" } ?? "bucket \(bucket)" }
        switch self {
        case let .signatureMismatch(endpoint, bucket, key):
            return "\(endpoint): \(object(bucket, key)): signature does not match (SignatureDoesNotMatch): the secret key is wrong for this access key. Check AWS_SECRET_ACCESS_KEY"
        case let .accessDenied(endpoint, bucket, key, code, message):
            return "\(endpoint): \(object(bucket, key)): access denied (\(code): \(message)). Check AWS_ACCESS_KEY_ID and that its identity may read, write and list the bucket"
        case let .noSuchBucket(endpoint, bucket):
            return "\(endpoint): bucket \(bucket) does not exist (NoSuchBucket). Create it first (e.g. `aws s3 mb s3://\(bucket) --endpoint-url \(endpoint)`), or fix the repository URL"
        case let .server(endpoint, bucket, key, status, code, message):
            return "\(endpoint): \(object(bucket, key)): the server answered HTTP \(status) \(code)" + (message.isEmpty ? "" : ": \(message)")
        case let .unreachable(endpoint, detail, attempts):
            return "\(endpoint): the S3 server cannot be reached (\(detail)) after \(attempts) attempt\(attempts == 1 ? "" : "s"). Check that it is running and that the URL's host and port are right"
        case let .timedOut(endpoint, operation, seconds, attempts):
            return "\(endpoint): \(operation): no answer within \(String(format: "%g", seconds)) s, \(attempts) attempt\(attempts == 1 ? "" : "s"). Check the server's health and the network"
        case let .invalidResponse(endpoint, bucket, key, detail):
            return "\(endpoint): \(object(bucket, key)): unreadable answer: \(detail)"
        case let .missingCredentials(variable):
            return "\(variable) is not set: an s3: repository needs AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and AWS_DEFAULT_REGION, default us-east-1) in the environment"
        case let .calledOnEventLoop(operation):
            return "internal error: \(operation) would block a SwiftNIO event loop thread; call it from another thread"
        case let .notYetSupported(url, operation, remaining):
            return "\(url): S3 repositories are not yet supported (\(operation)): \(remaining). Use a local repository directory for now; nothing was created or changed"
        }
    }
}
