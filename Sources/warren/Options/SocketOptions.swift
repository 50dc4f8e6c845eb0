import ArgumentParser

/// `--socket PATH`: talk to a running `warren serve` instead of opening the repository.
/// Also accepted before the subcommand: `warren --socket PATH list`. Default: the
/// configuration file's `socket`; `--socket ''` opens the repository even then.
struct SocketOptions: ParsableArguments {
    @Option(name: .customLong("socket"), help: ArgumentHelp(
        "Ask the Warren service on this Unix socket instead of opening the repository (default: the configuration file's socket; '' for none).",
        valueName: "path"))
    var socketOption: String?

    /// The option ('' meaning none), else the configuration file's `socket`, else nil.
    var socket: String? {
        if let socketOption { return socketOption.isEmpty ? nil : socketOption }
        return Configured.value(.socket)
    }
}
