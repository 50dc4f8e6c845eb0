import ArgumentParser
import WarrenCore

struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create a repository (catalog.sqlite and objects/).",
        discussion: "The directory must be new or empty. Other commands refuse to run until it exists.")

    @OptionGroup var repository: RepositoryOptions
    @OptionGroup var output: OutputOptions

    @OptionGroup var verbosity: VerbosityOptions

    func run() throws {
        try CommandRunner.run(json: output.json) {
            let repo = try Repository.initialize(at: repository.path)
            if output.json {
                struct Created: Encodable { var repository: String; var migrations: [String] }
                print(try WarrenJSON.string(Created(repository: repo.path, migrations: try repo.catalog.appliedMigrations())))
            } else {
                print("created repository at \(repo.path)")
            }
        }
    }
}
