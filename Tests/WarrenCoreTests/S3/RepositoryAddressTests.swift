import Foundation
import Testing
@testable import WarrenCore

/// `--repo` strings: local paths, s3: URLs, and unknown schemes refused.
@Suite struct RepositoryAddressTests {
    @Test func localPaths() throws {
        for path in ["/srv/warren", "repo", "./sftp:host", "~/warren", "/data/backups:2026", "C:", "a b"] {
            #expect(try RepositoryAddress.parse(path) == .local(path: path))
        }
    }

    @Test func s3URLs() throws {
        #expect(try RepositoryAddress.parse("s3:http://127.0.0.1:8333/warren-test/backups/rabbit")
                == .s3(S3Location(endpoint: S3Endpoint(scheme: .http, host: "127.0.0.1", port: 8333), bucket: "warren-test", prefix: "backups/rabbit")))
        let https = try S3Location.parse("s3:https://s3.example.com/bucket-1")
        #expect(https.endpoint == S3Endpoint(scheme: .https, host: "s3.example.com", port: 443))
        #expect(https.prefix == "")
        #expect(https.description == "s3:https://s3.example.com/bucket-1")
        #expect(https.key("manifests/1") == "manifests/1")
        let prefixed = try S3Location.parse("s3:http://h:9000/b12/p/q/")
        #expect(prefixed.key("config") == "p/q/config")
        #expect(prefixed.endpoint.hostHeader == "h:9000")
    }

    @Test func malformedS3URLsRefused() {
        for bad in ["s3:http://127.0.0.1:8333", "s3:http://127.0.0.1:8333/", "s3:ftp://h/b12", "s3://bucket/prefix",
                    "s3:http://h/t", "s3:http://h/Upper", "s3:http://key:secret@h/bucket", "s3:http://h/bucket/../x", "s3:http://h/bucket?x=1"] {
            #expect(throws: WarrenError.self, "\(bad)") { try RepositoryAddress.parse(bad) }
            do { _ = try RepositoryAddress.parse(bad) } catch let WarrenError.invalidArgument(name, _) {
                #expect(name == "--repo")
            } catch { Issue.record("\(bad): \(error)") }
        }
    }

    @Test func unknownSchemesRefused() {
        for url in ["sftp:host:/srv/warren", "b2:bucket", "file:///srv/warren", "rclone:remote:path", "https://example.com/x"] {
            do {
                _ = try RepositoryAddress.parse(url)
                Issue.record("\(url) was accepted")
            } catch let WarrenError.invalidArgument(name, reason) {
                #expect(name == "--repo")
                #expect(reason.contains("unknown repository scheme"))
                #expect(reason.contains("./\(url)"))
            } catch { Issue.record("\(url): \(error)") }
        }
    }

    /// Opening or creating a repository at an s3: URL says it is not yet supported and
    /// creates nothing (before this, `init` made a local directory named `s3:http:`).
    @Test func s3RepositoryNotYetSupported() throws {
        let url = "s3:http://127.0.0.1:1/warren-test/x"
        for attempt in [{ _ = try Repository.initialize(at: url) }, { _ = try Repository.open(at: url) },
                        { _ = try ReadOnlyRepository.openIfCurrent(at: url) }] as [() throws -> Void] {
            do {
                try attempt()
                Issue.record("an s3: repository was opened")
            } catch let WarrenError.s3(.notYetSupported(shown, _, remaining)) {
                #expect(shown == "s3:http://127.0.0.1:1/warren-test/x")
                #expect(remaining == RepositoryAddress.s3Remaining)
            }
        }
        #expect(WarrenError.s3(.notYetSupported(url: url, operation: "init", remaining: "")).exitCode == 22)
        #expect(!FileManager.default.fileExists(atPath: "s3:http:"))
    }

    @Test func credentialsFromEnvironment() throws {
        let credentials = try S3Credentials.fromEnvironment(["AWS_ACCESS_KEY_ID": "k", "AWS_SECRET_ACCESS_KEY": "TOPSECRET"])
        #expect(credentials == S3Credentials(accessKeyID: "k", secretAccessKey: "TOPSECRET", region: "us-east-1"))
        #expect(!credentials.description.contains("TOPSECRET"))
        #expect(try S3Credentials.fromEnvironment(["AWS_ACCESS_KEY_ID": "k", "AWS_SECRET_ACCESS_KEY": "s", "AWS_DEFAULT_REGION": "eu-west-3"]).region == "eu-west-3")
        #expect(throws: S3Error.missingCredentials(variable: "AWS_SECRET_ACCESS_KEY")) {
            try S3Credentials.fromEnvironment(["AWS_ACCESS_KEY_ID": "k"])
        }
        #expect(throws: S3Error.missingCredentials(variable: "AWS_ACCESS_KEY_ID")) {
            try S3Credentials.fromEnvironment(["AWS_SECRET_ACCESS_KEY": "s", "AWS_ACCESS_KEY_ID": ""])
        }
    }

    @Test func retryClassification() {
        #expect(S3RetryPolicy.isRetryable(status: 503))
        #expect(S3RetryPolicy.isRetryable(status: 500))
        #expect(!S3RetryPolicy.isRetryable(status: 403))
        #expect(!S3RetryPolicy.isRetryable(status: 412))
        let policy = S3RetryPolicy(attempts: 4, baseDelay: 0.2)
        #expect([1, 2, 3].map(policy.delay(after:)) == [0.2, 0.4, 0.8])
    }
}
