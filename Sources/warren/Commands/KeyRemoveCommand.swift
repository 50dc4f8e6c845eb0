import ArgumentParser
import WarrenCore

struct KeyRemoveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "remove",
        abstract: "Remove a key: its password no longer opens the repository.",
        discussion: "Refused for the only key, and for the key whose password opened the repository in this command.")

    @Argument(help: "Key id, or a unique prefix of at least 4 digits (see `warren key list`).")
    var id: String

    @OptionGroup var key: KeyWriterOptions

    var verbosity: VerbosityOptions { key.verbosity }

    struct Removed: Encodable { var removed: String }

    func run() throws {
        try key.run("key remove", input: {}, change: { ring, _ in Removed(removed: try ring.remove(id: id)) },
                    text: { "removed key \($0.removed.prefix(12))" })
    }
}
