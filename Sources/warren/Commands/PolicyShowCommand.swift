import ArgumentParser
import WarrenCore

struct PolicyShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show the stored policies.")

    @OptionGroup var repository: RepositoryOptions
    @OptionGroup var output: OutputOptions

    @OptionGroup var verbosity: VerbosityOptions

    func run() throws {
        try CommandRunner.run(json: output.json) {
            let repo = try repository.open()
            let policies = try PolicyStore(catalog: repo.catalog).list()
            if output.json {
                print(try WarrenJSON.string(policies))
                return
            }
            guard !policies.isEmpty else {
                print("no stored policy: `warren prune` needs --keep-* flags (store one with `warren policy set`)")
                return
            }
            var table = Table([
                ("FOR", .left), ("LAST", .right), ("HOURLY", .right), ("DAILY", .right), ("WEEKLY", .right),
                ("MONTHLY", .right), ("YEARLY", .right), ("WITHIN", .left), ("UPDATED", .left),
            ])
            func cell(_ n: Int?) -> String { n.map(String.init) ?? "-" }
            for stored in policies {
                let p = stored.policy
                table.add([
                    stored.node.map { "node \($0)" } ?? "(default)", cell(p.keepLast), cell(p.keepHourly), cell(p.keepDaily),
                    cell(p.keepWeekly), cell(p.keepMonthly), cell(p.keepYearly), p.keepWithin?.description ?? "-", stored.updatedAt,
                ])
            }
            print(table.render())
        }
    }
}
