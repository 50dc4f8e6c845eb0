import Synchronization

/// How many requests this process sent to S3 servers, by kind (`PUT`, `GET`, `HEAD`,
/// `DELETE`, `POST` for multipart steps, `LIST` for a bucket listing), retries included,
/// and the body bytes sent and received. `--verbose` prints it at the end of a command
/// ("s3 requests: PUT 70, GET 3 …"), so an operator sees what a command cost against a
/// bucket billed by the request, and `Tools/bench s3` counts PUTs per small file.
public final class S3RequestTally: Sendable {
    /// The process's tally.
    public static let shared = S3RequestTally()

    private struct Counts {
        var requests: [String: Int] = [:]
        var bytesSent: Int64 = 0
        var bytesReceived: Int64 = 0
    }

    private let counts = Mutex(Counts())

    /// The order kinds are listed in.
    static let order = ["PUT", "GET", "HEAD", "LIST", "DELETE", "POST"]

    func add(_ request: S3Request, received: Int) {
        let kind = request.method == .get && request.key == nil ? "LIST" : request.method.rawValue
        counts.withLock {
            $0.requests[kind, default: 0] += 1
            $0.bytesSent += Int64(request.body.count)
            $0.bytesReceived += Int64(received)
        }
    }

    /// ``summary``, and the tally starts again from zero (so that it is said once).
    public func drainSummary() -> String? {
        defer { counts.withLock { $0 = Counts() } }
        return summary
    }

    /// Requests sent so far, by kind.
    public var requests: [String: Int] { counts.withLock { $0.requests } }

    /// One line, e.g. `PUT 70, GET 3, HEAD 68, LIST 2 (70.1 MB sent, 0.2 MB received)`;
    /// nil when no request was sent.
    public var summary: String? {
        let c = counts.withLock { $0 }
        guard !c.requests.isEmpty else { return nil }
        let kinds = Self.order.compactMap { kind in c.requests[kind].map { "\(kind) \($0)" } }
        let mb = { (bytes: Int64) in String(format: "%.1f MB", Double(bytes) / 1_000_000) }
        return kinds.joined(separator: ", ") + " (\(mb(c.bytesSent)) sent, \(mb(c.bytesReceived)) received)"
    }
}
