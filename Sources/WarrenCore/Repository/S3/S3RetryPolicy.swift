/// How an ``S3Client`` waits and retries. A 5xx answer (500, 502, 503, 504: the server's own
/// trouble, including `SlowDown`), a refused or reset connection and a time-out are tried again
/// after `baseDelay`, doubled each time, up to `attempts` tries in all; a 4xx is final at once.
public struct S3RetryPolicy: Sendable {
    /// Tries in all, the first included.
    public var attempts: Int
    /// Seconds before the second try; doubled before each further one.
    public var baseDelay: Double
    /// Seconds for one request, from sending to the end of the answer.
    public var requestTimeout: Double
    /// Called before each retry with the try that failed (1-based) and why. Tests use it to
    /// act between tries (restart a server) without depending on timing.
    public var beforeRetry: (@Sendable (_ failedAttempt: Int, _ reason: String) -> Void)?

    public init(attempts: Int = 4, baseDelay: Double = 0.2, requestTimeout: Double = 120,
                beforeRetry: (@Sendable (Int, String) -> Void)? = nil) {
        self.attempts = max(1, attempts)
        self.baseDelay = baseDelay
        self.requestTimeout = requestTimeout
        self.beforeRetry = beforeRetry
    }

    /// 4 tries (0.2, 0.4, 0.8 s apart), 120 s per request (connecting takes at most 5 s: ``S3Client``).
    public static let standard = S3RetryPolicy()

    /// Seconds to wait after try `attempt` (1-based) failed.
    public func delay(after attempt: Int) -> Double { baseDelay * Double(1 << min(attempt - 1, 16)) }

    /// Whether an answer with this status is worth another try.
    public static func isRetryable(status: Int) -> Bool { [500, 502, 503, 504].contains(status) }
}
