import ArgumentParser
import WarrenCore

struct KeyAddCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Add a password: a new key file wrapping the same master key.",
        discussion: "Open with an existing password (--password-file …); the new one comes from --new-password-file or the terminal.")

    @OptionGroup var key: KeyWriterOptions
    @OptionGroup var newPassword: NewPasswordOptions

    var verbosity: VerbosityOptions { key.verbosity }

    struct Added: Encodable { var id: String }

    func run() throws {
        try key.run("key add", input: newPassword.read, change: { ring, password in Added(id: try ring.add(password: password)) },
                    text: { "added key \($0.id.prefix(12))" })
    }
}
