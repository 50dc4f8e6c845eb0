import ArgumentParser
import WarrenCore

/// `--pre-hook CMD` / `--post-hook CMD`, shared by `backup` and `schedule add` (whose
/// scheduled backups run them as `backup` does).
struct HookOptions: ParsableArguments {
    @Option(name: .customLong("pre-hook"), help: ArgumentHelp("Command run first (/bin/sh -c), e.g. to stop consumers; its failure aborts the backup.", valueName: "cmd"))
    var preHook: String?

    @Option(name: .customLong("post-hook"), help: ArgumentHelp("Command run last, whatever happened.", valueName: "cmd"))
    var postHook: String?

    /// `backup`'s pre-hook: the option ('' meaning none), else the configuration file's.
    var configuredPreHook: String? { Self.configured(preHook, .preHook) }
    /// `backup`'s post-hook: the option ('' meaning none), else the configuration file's.
    var configuredPostHook: String? { Self.configured(postHook, .postHook) }

    private static func configured(_ option: String?, _ key: ConfigurationFile.Key) -> String? {
        if let option { return option.isEmpty ? nil : option }
        return Configured.value(key)
    }
}
