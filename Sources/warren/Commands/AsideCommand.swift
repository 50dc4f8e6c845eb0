import ArgumentParser
import Foundation
import WarrenCore

struct AsideCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "aside",
        abstract: "Data moved aside by restore --replace-vhost-data: list it, remove it.",
        discussion: "It lives in REPO/aside/ (or the --aside-dir given to restore), one folder per restore, and is never deleted otherwise.",
        subcommands: [AsideListCommand.self, AsideRemoveCommand.self])
}
