import ArgumentParser

struct CatalogCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "catalog",
        abstract: "Maintain catalog.sqlite: rebuild it from the repository, upgrade an older repository.",
        subcommands: [CatalogRebuildCommand.self, CatalogUpgradeCommand.self])
}
