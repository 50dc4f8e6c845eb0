import ArgumentParser
import WarrenCore

/// `warren version` (also `warren --version`): the version, the repository formats it reads,
/// and the SQLite version.
struct VersionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "version",
        abstract: "Show Warren's version, the repository format it reads and the SQLite version.")

    @OptionGroup var output: OutputOptions

    @OptionGroup var verbosity: VerbosityOptions

    func run() throws {
        try CommandRunner.run(json: output.json) {
            let info = try VersionInfo.current()
            if output.json {
                print(try WarrenJSON.string(info))
                return
            }
            print("""
                warren \(info.version)
                repository format: \(info.repositoryFormat), catalog schema \(info.catalogSchema) (\(info.catalogMigrations.count) migrations)
                SQLite \(info.sqliteVersion)
                """)
        }
    }
}
