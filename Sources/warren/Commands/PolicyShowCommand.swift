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
            let file = Configured.file?.retention
            guard !policies.isEmpty || file?.isEmpty == false else {
                print("no stored policy: `warren prune` needs --keep-* flags (store one with `warren policy set`)")
                return
            }
            var table = Table([
                ("FOR", .left), ("LAST", .right), ("HOURLY", .right), ("DAILY", .right), ("WEEKLY", .right),
                ("MONTHLY", .right), ("YEARLY", .right), ("WITHIN", .left), ("UPDATED", .left),
            ])
            func add(_ label: String, _ p: RetentionPolicy, updated: String) {
                func cell(_ n: Int?) -> String { n.map(String.init) ?? "-" }
                table.add([label, cell(p.keepLast), cell(p.keepHourly), cell(p.keepDaily), cell(p.keepWeekly),
                           cell(p.keepMonthly), cell(p.keepYearly), p.keepWithin?.description ?? "-", updated])
            }
            for stored in policies {
                add(stored.node.map { "node \($0)" } ?? "(default)", stored.policy, updated: stored.updatedAt)
            }
            if let file, !file.isEmpty {
                // The file's policies rank above the stored ones (flags > file > repository).
                if let p = file.defaultPolicy { add("(default, file)", p, updated: "-") }
                for (node, p) in file.nodes.sorted(by: { $0.key < $1.key }) { add("node \(node) (file)", p, updated: "-") }
            }
            print(table.render())
            if let file, !file.isEmpty {
                print("\n(file): from \(file.path); prune applies them before the stored policies (flags > file > stored)")
            }
        }
    }
}
