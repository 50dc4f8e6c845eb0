import ArgumentParser
import WarrenCore

/// `--exclude-queue GLOB` / `--exclude-vhost NAME`, shared by verify and restore so that
/// both leave out exactly the same data.
struct ExclusionOptions: ParsableArguments {
    @Option(name: .customLong("exclude-queue"), help: ArgumentHelp(
        "Leave out queues whose name matches this glob, in any vhost (repeatable). Their definitions are kept; their data is not.",
        valueName: "glob"))
    var queues: [String] = []

    @Option(name: .customLong("exclude-vhost"), help: ArgumentHelp("Leave out this vhost's stored data (repeatable).", valueName: "name"))
    var vhosts: [String] = []

    @Flag(name: .customLong("allow-unmatched-exclusions"), help: "Go on when an --exclude-queue or --exclude-vhost matches nothing in the backup (default: refuse, since a typo would restore what it meant to keep out).")
    var allowUnmatched = false

    /// As WarrenCore takes them.
    var exclusions: Exclusions {
        Exclusions(queueGlobs: queues, vhosts: vhosts, allowUnmatched: allowUnmatched)
    }
}
