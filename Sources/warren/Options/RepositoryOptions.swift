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

    func open() throws -> Repository {
        try Repository.open(at: path)
    }
}

extension RepositoryOptions {
    /// Opens the repository for a command that writes to it; refused while `warren serve`
    /// serves it ("service running; use --socket").
    func openWriter() throws -> Repository {
        let repo = try open()
        try ServiceMarker.refuseWriterIfServing(repository: repo.path)
        return repo
    }
}
