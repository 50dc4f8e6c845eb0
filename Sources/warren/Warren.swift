import ArgumentParser

@main
struct Warren: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "warren",
        abstract: "Backup catalog for RabbitMQ: records what each backup holds and whether it can be restored.",
        discussion: """
            The repository is chosen by --repo, else $WARREN_REPO, else $XDG_DATA_HOME/warren
            (~/.local/share/warren). Create it once with `warren init`.

            Exit codes: 0 success; 1 the check ran and found problems; 2 no repository or an
            incompatible one; 3 unknown backup id; 4 invalid backup or definitions;
            5 I/O error; 6 catalog error; 7 broker (rabbitmqctl) error; 8 repository locked; 9 restore refused;
            10 a backup/restore step or hook failed; 12 a rabbitmqctl step timed out;
            13 an interrupted restore is recorded for the node;
            14 --refuse-loss refused a loss; 15 catalog rebuild refused; 130 interrupted; 64 usage error.
            """,
        subcommands: [InitCommand.self, RegisterCommand.self, ListCommand.self, ShowCommand.self, VerifyCommand.self, DiffCommand.self, BackupCommand.self, RestoreCommand.self, ExportCommand.self, PruneCommand.self, PolicyCommand.self, PinCommand.self, UnpinCommand.self, GCCommand.self, CheckCommand.self, ServeCommand.self, ScheduleCommand.self, RestoresCommand.self, AsideCommand.self, GuardCommand.self, CatalogCommand.self]
    )

    /// `warren --socket PATH list` is read as `warren list --socket PATH`: the option is
    /// global in spirit, and ArgumentParser only knows options of the chosen subcommand.
    static func main() async {
        await main(hoistingSocket(Array(CommandLine.arguments.dropFirst())))
    }

    static func hoistingSocket(_ arguments: [String]) -> [String] {
        var rest = arguments
        var hoisted: [String] = []
        while let first = rest.first, first.hasPrefix("--socket") {
            if first == "--socket", rest.count >= 2 {
                hoisted += rest.prefix(2)
                rest.removeFirst(2)
            } else if first.hasPrefix("--socket=") {
                hoisted.append(first)
                rest.removeFirst()
            } else {
                break
            }
        }
        guard !hoisted.isEmpty else { return arguments }
        if let separator = rest.firstIndex(of: "--") {
            rest.insert(contentsOf: hoisted, at: separator)
            return rest
        }
        return rest + hoisted
    }
}
