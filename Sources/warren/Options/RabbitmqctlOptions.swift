import ArgumentParser
import Foundation

/// `--rabbitmqctl PATH` (or `WARREN_RABBITMQCTL`): the CLI Warren drives the node with, e.g. a
/// wrapper that runs a chroot's or a container's `rabbitmqctl`. Default: `rabbitmqctl` on PATH.
struct RabbitmqctlOptions: ParsableArguments {
    @Option(name: .customLong("rabbitmqctl"), help: ArgumentHelp(
        "The rabbitmqctl to run (default: $WARREN_RABBITMQCTL, else the configuration file's rabbitmqctl, else rabbitmqctl on PATH).", valueName: "path"))
    var path: String?

    /// The option, else the environment variable, else the configuration file, else `rabbitmqctl`.
    var rabbitmqctl: String {
        if let path, !path.isEmpty { return path }
        if let env = ProcessInfo.processInfo.environment["WARREN_RABBITMQCTL"], !env.isEmpty { return env }
        if let configured = Configured.value(.rabbitmqctl) { return configured }
        return "rabbitmqctl"
    }
}
