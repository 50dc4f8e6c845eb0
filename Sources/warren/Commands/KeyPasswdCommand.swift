import ArgumentParser
import WarrenCore

struct KeyPasswdCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "passwd",
        abstract: "Change the password of the key that opens the repository.",
        discussion: """
            Writes a key file for the new password (checked to open), then removes the old one;
            no object is rewritten. A crash in between leaves both keys, never neither.
            """)

    @OptionGroup var key: KeyWriterOptions
    @OptionGroup var newPassword: NewPasswordOptions

    var verbosity: VerbosityOptions { key.verbosity }

    struct Changed: Encodable { var id: String; var removed: String }

    func run() throws {
        try key.run("key passwd", input: newPassword.read, change: { ring, password in
            Changed(id: try ring.changePassword(to: password).keyID, removed: ring.keyID)
        }, text: { "password changed: key \($0.id.prefix(12)) replaces \($0.removed.prefix(12))" })
    }
}
