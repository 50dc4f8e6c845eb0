import ArgumentParser
import WarrenCore

struct KeyListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the repository's keys (the one used is marked *).")

    @OptionGroup var repository: RepositoryOptions
    @OptionGroup var output: OutputOptions

    @OptionGroup var verbosity: VerbosityOptions

    func run() throws {
        try CommandRunner.run(json: output.json) {
            let (_, ring) = try repository.openKeyRing(writer: false)
            let keys = try ring.list()
            if output.json {
                print(try WarrenJSON.string(keys))
                return
            }
            var table = Table([("", .left), ("ID", .left), ("USER", .left), ("HOST", .left), ("CREATED", .left), ("KDF", .left)])
            for key in keys {
                table.add([
                    key.current ? "*" : "", key.shortID, key.user ?? "-", key.host ?? "-",
                    key.createdAt.map { String($0.prefix(19)) } ?? "-", key.problem.map { "unusable: \($0)" } ?? key.kdf ?? "-",
                ])
            }
            print(table.render())
        }
    }
}
