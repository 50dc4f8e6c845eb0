import ArgumentParser
import WarrenCore

struct KeyRemoveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "remove",
        abstract: "Remove a key: its password no longer opens the repository.",
        discussion: "Refused for the only key, and for the key whose password opened the repository in this command.")

    @OptionGroup var repository: RepositoryOptions

    @Argument(help: "Key id, or a unique prefix of at least 4 digits (see `warren key list`).")
    var id: String

    @OptionGroup var lock: LockOptions
    @OptionGroup var output: OutputOptions

    @OptionGroup var verbosity: VerbosityOptions

    func run() throws {
        try CommandRunner.run(json: output.json) {
            let (repo, ring) = try repository.openKeyRing(writer: true)
            let removed = try repo.withWriteLock(command: "key remove", options: lock.options) { try ring.remove(id: id) }
            if output.json {
                struct Removed: Encodable { var removed: String }
                print(try WarrenJSON.string(Removed(removed: removed)))
            } else {
                print("removed key \(removed.prefix(12))")
            }
        }
    }
}
