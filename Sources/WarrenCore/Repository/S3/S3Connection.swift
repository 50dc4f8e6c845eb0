import Foundation

/// How this machine reaches `s3:` repositories: the credentials requests are signed with and
/// the local directory that holds each repository's catalog cache
/// (``S3CatalogCache``, `CACHE/<repository id>/catalog.sqlite`).
public struct S3Connection: Sendable {
    public var credentials: S3Credentials
    /// `$XDG_CACHE_HOME/warren` (an absolute XDG_CACHE_HOME), else `~/.cache/warren`.
    public var cacheRoot: String
    public var policy: S3RetryPolicy

    public init(credentials: S3Credentials, cacheRoot: String, policy: S3RetryPolicy = .standard) {
        self.credentials = credentials
        self.cacheRoot = cacheRoot
        self.policy = policy
    }

    /// Credentials from `AWS_ACCESS_KEY_ID` / `AWS_SECRET_ACCESS_KEY` / `AWS_DEFAULT_REGION`
    /// (``S3Credentials/fromEnvironment(_:)``), the cache under the XDG cache directory.
    /// - Throws: ``WarrenError/s3(_:)`` with ``S3Error/missingCredentials(variable:)``.
    public static func fromEnvironment(_ environment: [String: String]) throws -> S3Connection {
        let credentials: S3Credentials
        do {
            credentials = try S3Credentials.fromEnvironment(environment)
        } catch let error as S3Error {
            throw WarrenError.s3(error)
        }
        return S3Connection(credentials: credentials, cacheRoot: cacheRoot(environment))
    }

    /// `$XDG_CACHE_HOME/warren`, else `$HOME/.cache/warren`.
    public static func cacheRoot(_ environment: [String: String]) -> String {
        if let cacheHome = environment["XDG_CACHE_HOME"], cacheHome.hasPrefix("/") { return cacheHome + "/warren" }
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        return home + "/.cache/warren"
    }

    /// The bucket's storage; objects on their way up are written in `temporaryDirectory`.
    func storage(_ location: S3Location, temporaryDirectory: String? = nil, conditionalPut: S3Storage.ConditionalPut = .ifNoneMatch) -> S3Storage {
        S3Storage(location: location, credentials: credentials, policy: policy, conditionalPut: conditionalPut, temporaryDirectory: temporaryDirectory)
    }
}
