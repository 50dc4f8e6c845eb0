import ArgumentParser
import Foundation
import WarrenCore

#if canImport(Glibc)
import Glibc
#endif

/// `--repo PATH` and the password options, shared by every command that uses a repository.
struct RepositoryOptions: ParsableArguments {
    @Option(name: [.long, .customShort("r")], help: ArgumentHelp("Repository directory (default: $WARREN_REPO, else the configuration file's repo, else $XDG_DATA_HOME/warren).", valueName: "path"))
    var repo: String?

    @Option(name: .customLong("password-file"), help: ArgumentHelp(
        "File holding the password of an encrypted repository (default: $WARREN_PASSWORD_FILE; else $WARREN_PASSWORD_COMMAND; else asked on the terminal).",
        valueName: "file"))
    var passwordFile: String?

    @Option(name: .customLong("password-command"), help: ArgumentHelp(
        "Command whose output is the password (default: $WARREN_PASSWORD_COMMAND).", valueName: "command"))
    var passwordCommand: String?

    /// `--repo`, else `$WARREN_REPO`, else the default directory, as given (an s3: URL too).
    var location: String {
        RepositoryLocation.resolve(explicit: repo, environment: ProcessInfo.processInfo.environment, configured: Configured.value(.repo))
    }

    /// The local repository directory. An s3: URL is refused (not yet supported), and so is
    /// any other scheme (never made into a directory named `sftp:…`).
    var path: String {
        get throws { try RepositoryAddress.localDirectory(location, operation: "open") }
    }

    /// Where the password comes from: the flags, the environment, else the terminal (when
    /// standard input is one).
    func passwordSource() throws -> PasswordSource {
        try PasswordSource.resolve(
            passwordFile: passwordFile, passwordCommand: passwordCommand,
            environment: ProcessInfo.processInfo.environment, terminal: Self.terminal)
    }

    /// The terminal to prompt on, or nil when standard input is not one.
    static var terminal: String? { isatty(0) == 1 ? "/dev/tty" : nil }

    /// Reads the repository password (asked only for an encrypted repository).
    func password() throws -> Password { try passwordSource().read() }

    /// How to reach the repository when it is an s3: URL: credentials from the AWS_*
    /// variables, the cache under $XDG_CACHE_HOME. Nil for a directory.
    func s3Connection() throws -> S3Connection? {
        guard case .s3 = try RepositoryAddress.parse(location) else { return nil }
        return try S3Connection.fromEnvironment(ProcessInfo.processInfo.environment)
    }

    /// Opens the repository; says (on stderr) when it predates manifests and needs
    /// `warren catalog upgrade`.
    func open(noticeUpgrade: Bool = true) throws -> Repository {
        let repo = try Repository.open(at: location, password: password, s3: try s3Connection())
        Terminal.detail("repository \(repo.location)" + (repo.isS3 ? " (catalog cache \(repo.path))" : ""))
        if noticeUpgrade, CatalogUpgrader.isNeeded(repo) {
            FileHandle.standardError.write(Data("warren: \(repo.path) was made by an earlier release and has no backup manifests yet: run `warren catalog upgrade --repo \(repo.path)` so that the catalog can be rebuilt from the repository\n".utf8))
        }
        return repo
    }
}

extension RepositoryOptions {
    /// The repository for a dry run (`prune`, `forget`, `gc --dry-run`): read-only for a
    /// local directory (``ReadOnlyRepository/openForDryRun(at:password:)``); an s3:
    /// repository is opened, its cache synchronised, and nothing in the bucket changed.
    func openForDryRun() throws -> any RepositoryReadable {
        if case .s3 = try RepositoryAddress.parse(location) { return try open() }
        return try ReadOnlyRepository.openForDryRun(at: path, password: password)
    }

    /// Opens the repository for a command that writes to it. A running `warren serve` does
    /// not stand in the way: writers share the repository lock with the service's jobs (and
    /// SQLite's transactions with its catalog writes), exactly as two CLI writers do, and the
    /// service reads the catalog afresh on every request, so it sees what they wrote.
    func openWriter(noticeUpgrade: Bool = true) throws -> Repository {
        try open(noticeUpgrade: noticeUpgrade)
    }
}
