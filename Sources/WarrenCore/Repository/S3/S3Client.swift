import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

/// A small S3 client on async-http-client: path-style requests to one bucket, signed with
/// SigV4 (the payload's SHA-256 is signed, so the server checks the body too), retried with
/// backoff on 5xx, refused connections and time-outs (``S3RetryPolicy``), error answers read
/// from their XML body into ``S3Error`` naming the bucket and key.
///
/// Its calls block the calling thread until the answer is complete, because Warren's
/// storage protocol is synchronous. The request itself runs on SwiftNIO's event loops, never
/// on the caller's thread or on Swift's cooperative pool, so a caller on any thread (a CLI
/// command, a server handler, a task in a task group) cannot starve it. Only a caller *on*
/// an event loop would wait on itself: that is refused (``S3Error/calledOnEventLoop(operation:)``).
public final class S3Client: Sendable {
    public let endpoint: S3Endpoint
    public let bucket: String
    public let signer: SigV4Signer
    public let policy: S3RetryPolicy

    public init(endpoint: S3Endpoint, bucket: String, credentials: S3Credentials, policy: S3RetryPolicy = .standard) {
        self.endpoint = endpoint
        self.bucket = bucket
        signer = SigV4Signer(credentials: credentials)
        self.policy = policy
    }

    /// One process-wide client, never shut down (as `HTTPClient.shared`): connections are
    /// pooled across S3Clients. Connecting takes at most 5 s; a failed connection is reported
    /// at once (no silent reconnect loop inside the pool), and ``send(_:)`` retries it.
    static let http: HTTPClient = {
        var configuration = HTTPClient.Configuration(
            redirectConfiguration: .disallow,
            timeout: .init(connect: .seconds(5)))
        configuration.connectionPool.retryConnectionEstablishment = false
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }()

    /// Sends `request` and returns the final answer: a success, a 4xx, or the last 5xx when
    /// every try got one. Transport failures that outlast the retries throw
    /// ``S3Error/unreachable(endpoint:detail:attempts:)`` or ``S3Error/timedOut(endpoint:operation:seconds:attempts:)``.
    public func send(_ request: S3Request) throws -> S3Response {
        if MultiThreadedEventLoopGroup.currentEventLoop != nil { throw S3Error.calledOnEventLoop(operation: request.operation) }
        var attempt = 1
        while true {
            let reason: String
            do {
                let response: S3Response
                do {
                    response = try execute(request).wait()
                } catch {
                    S3RequestTally.shared.add(request, received: 0)
                    throw error
                }
                S3RequestTally.shared.add(request, received: response.body.count)
                guard S3RetryPolicy.isRetryable(status: response.status), attempt < policy.attempts else { return response }
                reason = "HTTP \(response.status)"
            } catch {
                let failure = transportFailure(error, request: request, attempts: attempt)
                guard attempt < policy.attempts else { throw failure }
                reason = failure.description
            }
            policy.beforeRetry?(attempt, reason)
            Thread.sleep(forTimeInterval: policy.delay(after: attempt))
            attempt += 1
        }
    }

    /// Sends `request` and requires a 2xx answer (or one of `accepting`); any other answer
    /// throws the ``S3Error`` its XML body names.
    @discardableResult
    public func require(_ request: S3Request, accepting: Set<Int> = []) throws -> S3Response {
        let response = try send(request)
        guard (200..<300).contains(response.status) || accepting.contains(response.status) else {
            throw failure(response, key: request.key)
        }
        return response
    }

    /// The typed error of an error answer.
    public func failure(_ response: S3Response, key: String?) -> S3Error {
        let (code, message) = response.errorCodeAndMessage ?? (String(response.status), HTTPResponseStatus(statusCode: response.status).reasonPhrase)
        switch code {
        case "SignatureDoesNotMatch":
            return .signatureMismatch(endpoint: endpoint.description, bucket: bucket, key: key)
        case "InvalidAccessKeyId", "AccessDenied", "403":
            return .accessDenied(endpoint: endpoint.description, bucket: bucket, key: key, code: code, message: message)
        case "NoSuchBucket":
            return .noSuchBucket(endpoint: endpoint.description, bucket: bucket)
        default:
            return .server(endpoint: endpoint.description, bucket: bucket, key: key, status: response.status, code: code, message: message)
        }
    }

    /// The path-style path: `/bucket` or `/bucket/key`, unencoded.
    func path(for key: String?) -> String { "/" + bucket + (key.map { "/" + $0 } ?? "") }

    private func execute(_ request: S3Request) -> EventLoopFuture<S3Response> {
        let path = path(for: request.key)
        let payloadHash = SigV4Signer.hexSHA256(request.body)
        let signature = signer.sign(
            method: request.method.rawValue, path: path, query: request.query,
            headers: [(name: "host", value: endpoint.hostHeader)] + request.headers,
            payloadHash: payloadHash, date: Date())
        let query = request.query
            .map { AWSURIEncoding.queryComponent($0.name) + "=" + AWSURIEncoding.queryComponent($0.value) }
            .joined(separator: "&")
        let url = endpoint.description + AWSURIEncoding.path(path) + (query.isEmpty ? "" : "?" + query)
        let eventLoop = Self.http.eventLoopGroup.next()
        do {
            var headers = HTTPHeaders()
            for header in signature.headers { headers.add(name: header.name, value: header.value) }
            let body: HTTPClient.Body? = request.body.isEmpty && request.method != .put && request.method != .post
                ? nil : .bytes(request.body)
            let httpRequest = try HTTPClient.Request(url: url, method: HTTPMethod(rawValue: request.method.rawValue), headers: headers, body: body)
            let deadline = NIODeadline.now() + .milliseconds(Int64(policy.requestTimeout * 1000))
            return Self.http.execute(request: httpRequest, deadline: deadline).map { response in
                var headers: [String: String] = [:]
                for (name, value) in response.headers { headers[name.lowercased()] = value }
                let body = response.body.map { Array($0.readableBytesView) } ?? []
                return S3Response(status: Int(response.status.code), headers: headers, body: body)
            }
        } catch {
            return eventLoop.makeFailedFuture(error)
        }
    }

    /// A transport error as an ``S3Error``: a time-out, or a server that cannot be reached.
    private func transportFailure(_ error: Error, request: S3Request, attempts: Int) -> S3Error {
        if let s3 = error as? S3Error { return s3 }
        if let http = error as? HTTPClientError,
           [HTTPClientError.deadlineExceeded, .readTimeout, .writeTimeout, .connectTimeout].contains(http) {
            let seconds = http == .connectTimeout ? 5 : policy.requestTimeout
            return .timedOut(endpoint: endpoint.description, operation: request.operation, seconds: seconds, attempts: attempts)
        }
        if let channel = error as? ChannelError, case .connectTimeout = channel {
            return .timedOut(endpoint: endpoint.description, operation: request.operation, seconds: 5, attempts: attempts)
        }
        return .unreachable(endpoint: endpoint.description, detail: "\(error)", attempts: attempts)
    }
}
