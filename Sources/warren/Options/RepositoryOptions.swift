import ArgumentParser
import Foundation
import WarrenCore

/// `--repo PATH`, shared by every command that uses a repository.
struct RepositoryOptions: ParsableArguments {
    @Option(name: [.long, .customShort("r")], help: ArgumentHelp("Repository directory (default: $WARREN_REPO, else $XDG_DATA_HOME/warren).", valueName: "path"))
    var repo: String?

    var path: String {
        RepositoryLocation.resolve(explicit: repo, environment: ProcessInfo.processInfo.environment)
    }

    /// Opens the repository; says (on stderr) when it predates manifests and needs
    /// `warren catalog upgrade`.
    func open(noticeUpgrade: Bool = true) throws -> Repository {
        let repo = try Repository.open(at: path)
        Terminal.detail("repository \(repo.path)")
        if noticeUpgrade, CatalogUpgrader.isNeeded(repo) {
            FileHandle.standardError.write(Data("warren: \(repo.path) was made by an earlier release and has no backup manifests yet: run `warren catalog upgrade --repo \(repo.path)` so that the catalog can be rebuilt from the repository\n".utf8))
        }
        return repo
    }
}

extension RepositoryOptions {
    /// Opens the repository for a command that writes to it. A running `warren serve` does
    /// not stand in the way: writers share the repository lock with the service's jobs (and
    /// SQLite's transactions with its catalog writes), exactly as two CLI writers do, and the
    /// service reads the catalog afresh on every request, so it sees what they wrote.
    func openWriter(noticeUpgrade: Bool = true) throws -> Repository {
        try open(noticeUpgrade: noticeUpgrade)
    }
}
