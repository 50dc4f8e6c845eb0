import Foundation
import Testing

/// `--repo` / `WARREN_REPO` strings with a scheme, through the real binary: every command
/// needs the AWS credentials of an s3: URL first (exit 22) and creates nothing; an unknown scheme is refused (exit 64) instead
/// of becoming a local directory named after it. S3RepositoryEndToEndTests runs the wired
/// commands on a real bucket.
@Suite struct RepositoryURLEndToEndTests {
    static let s3URL = "s3:http://127.0.0.1:1/warren-test/prefix"
    static let noCredentials = ["AWS_ACCESS_KEY_ID": "", "AWS_SECRET_ACCESS_KEY": ""]

    @Test func s3URLsNeedCredentialsFirstAndCreateNothing() throws {
        let cwd = FileManager.default.currentDirectoryPath
        // Every command says which variable is missing, before a password is asked for.
        for arguments in [["schedule", "list"], ["schedule", "remove", "1"], ["init"], ["list"], ["gc"], ["prune", "--keep-last", "1"], ["forget", "1"], ["check"],
                          ["pin", "1"], ["unpin", "1"], ["diff", "1", "2"], ["policy", "show"], ["key", "list"],
                          ["catalog", "upgrade"], ["catalog", "rebuild"], ["backup", "--node", "rabbit@nowhere"],
                          ["restore", "1", "--node", "rabbit@nowhere"], ["copy", "1", "--to", "/nonexistent-target"]] {
            let result = try Warren.run(arguments + ["--json"], repo: Self.s3URL, environment: Self.noCredentials.merging(TestPassword.none) { $1 })
            #expect(result.status == 22, "\(arguments): \(result.stderr)")
            let error = (try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])?["error"] as? [String: Any]
            #expect(error?["code"] as? String == "s3_missing_credentials", "\(arguments): \(result.stdout)")
        }
        // Before, `init` made ./s3:http:/127.0.0.1:1/… in the working directory.
        #expect(!FileManager.default.fileExists(atPath: cwd + "/s3:http:"))

        let fromEnvironment = try Command.run(Warren.binary, ["schedule", "list"], environment: ["WARREN_REPO": Self.s3URL])
        #expect(fromEnvironment.status == 22)
        // serve (no --json) refuses before it binds a socket.
        let serve = try Warren.run(["serve"], repo: Self.s3URL, environment: Self.noCredentials.merging(TestPassword.none) { $1 })
        #expect(serve.status == 22 && serve.stderr.contains("AWS_ACCESS_KEY_ID"), "\(serve.stderr)")
    }

    @Test func unknownSchemesRefused() throws {
        let cwd = FileManager.default.currentDirectoryPath
        for url in ["sftp:backup-host:/srv/warren", "b2:warren-bucket"] {
            for arguments in [["init"], ["list"], ["gc"], ["prune", "--keep-last", "1"], ["forget", "1"], ["check"]] {
                let result = try Warren.run(arguments, repo: url)
                #expect(result.status == 64, "\(arguments) \(url): \(result.stderr)")
                #expect(result.stderr.contains("unknown repository scheme"), "\(result.stderr)")
            }
            #expect(!FileManager.default.fileExists(atPath: cwd + "/" + url))
        }
    }

    /// A local directory whose name has a colon is still usable by a path with a slash
    /// before the colon (absolute, or ./NAME).
    @Test func colonDirectoryThroughDotSlash() throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("warren-colon-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: base, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: base) }
        let repo = base + "/sftp:like"
        #expect(try Warren.run(["init"], repo: repo).status == 0)
        #expect(try Warren.run(["list"], repo: repo).status == 0)
    }
}
