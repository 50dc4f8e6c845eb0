import ArgumentParser
import WarrenCore

struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create a repository (catalog.sqlite and objects/).",
        discussion: """
            The directory must be new or empty. Other commands refuse to run until it exists.
            The repository is private to its owner (directories 0700, files 0600 or 0400) whatever \
            the umask: it holds password hashes and message bodies. With --group, members of that \
            group can read it (directories 2750, files 0640 or 0440) and run list, show and verify.
            """)

    @OptionGroup var repository: RepositoryOptions
    @OptionGroup var output: OutputOptions

    @Option(help: ArgumentHelp("Let the members of this group read the repository (list, show, verify), e.g. a monitoring user's.", valueName: "name"))
    var group: String?

    func run() throws {
        try CommandRunner.run(json: output.json) {
            let repo = try Repository.initialize(at: repository.path, group: group)
            if output.json {
                struct Created: Encodable { var repository: String; var access: RepositoryAccess; var migrations: [String] }
                print(try WarrenJSON.string(Created(repository: repo.path, access: repo.access, migrations: try repo.catalog.appliedMigrations())))
            } else {
                print("created repository at \(repo.path)" + (group.map { " (readable by group \($0))" } ?? " (private to its owner)"))
            }
        }
    }
}
