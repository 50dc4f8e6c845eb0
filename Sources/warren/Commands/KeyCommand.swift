import ArgumentParser

struct KeyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "key",
        abstract: "Manage the passwords of an encrypted repository.",
        discussion: """
            Every key file wraps the same master key under one password, so adding, removing
            or changing a password never rewrites an object. Any key's password opens the
            repository. The last key cannot be removed.
            """,
        subcommands: [KeyListCommand.self, KeyAddCommand.self, KeyRemoveCommand.self, KeyPasswdCommand.self],
        defaultSubcommand: KeyListCommand.self)
}
