import ArgumentParser
import WarrenCore

struct CatalogUpgradeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "upgrade",
        abstract: "Write the manifests and state documents a repository of an earlier release lacks.",
        discussion: """
            A repository made before manifests existed holds its backups only in catalog.sqlite.
            This writes, from the catalog, a manifest for every complete backup without one, and
            the pins, last verdicts and stored policies as documents, so that `warren catalog
            rebuild` can recreate the catalog from the repository alone. Safe to run again;
            takes the repository lock.
            """)

    @OptionGroup var repository: RepositoryOptions
    @OptionGroup var lock: LockOptions
    @OptionGroup var format: OutputOptions

    @OptionGroup var verbosity: VerbosityOptions

    func run() throws {
        try CommandRunner.run(json: format.json) {
            var upgrader = CatalogUpgrader(repository: try repository.openWriter(noticeUpgrade: false))
            upgrader.lockOptions = lock.options
            let r = try ProgressLine.run { try upgrader.upgrade(progress: $0) }
            print(format.json ? try WarrenJSON.string(r) : "wrote \(r.manifestsWritten) manifests (\(r.manifestsPresent) were there), \(r.pins) pins, \(r.verdicts) verdicts, \(r.policies) policies")
        }
    }
}
