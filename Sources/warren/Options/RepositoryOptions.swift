import ArgumentParser
import Foundation
import WarrenCore

/// `--repo PATH`, shared by every command that uses a repository.
struct RepositoryOptions: ParsableArguments {
    @Option(name: [.long, .customShort("r")], help: ArgumentHelp("Repository directory (default: $WARREN_REPO, else the configuration file's repo, else $XDG_DATA_HOME/warren).", valueName: "path"))
    var repo: String?

    var path: String {
        RepositoryLocation.resolve(explicit: repo, environment: ProcessInfo.processInfo.environment, configured: Configured.value(.repo))
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
    /// Opens the repository for a command that writes to it; refused while `warren serve`
    /// serves it ("service running; use --socket").
    func openWriter(noticeUpgrade: Bool = true) throws -> Repository {
        let repo = try open(noticeUpgrade: noticeUpgrade)
        try ServiceMarker.refuseWriterIfServing(repository: repo.path)
        return repo
    }
}
