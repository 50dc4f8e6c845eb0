import ArgumentParser

/// `--socket PATH`: talk to a running `warren serve` instead of opening the repository.
/// Also accepted before the subcommand: `warren --socket PATH list`.
struct SocketOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Ask the Warren service on this Unix socket instead of opening the repository.", valueName: "path"))
    var socket: String?
}
