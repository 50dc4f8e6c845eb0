import ArgumentParser

/// `--exclude-queue GLOB` / `--exclude-vhost NAME`, shared by verify and restore so that
/// both leave out exactly the same data.
struct ExclusionOptions: ParsableArguments {
    @Option(name: .customLong("exclude-queue"), help: ArgumentHelp(
        "Leave out queues whose name matches this glob, in any vhost (repeatable). Their definitions are kept; their data is not.",
        valueName: "glob"))
    var queues: [String] = []

    @Option(name: .customLong("exclude-vhost"), help: ArgumentHelp("Leave out this vhost's stored data (repeatable).", valueName: "name"))
    var vhosts: [String] = []
}
