/// A user command run around a backup (`--pre-hook`, `--post-hook`) with `/bin/sh -c`.
/// It sees `WARREN_NODE`, `WARREN_PHASE` (pre or post), `WARREN_REPO`, `WARREN_LABEL`, and
/// for the post hook `WARREN_OUTCOME` (succeeded or failed), `WARREN_BACKUP_ID` and
/// `WARREN_ERROR` (the failure's message; empty after a success).
enum Hook {
    static func run(_ command: String, phase: String, variables: [String: String]) throws {
        var environment = ProcessInfoEnvironment.current
        for (key, value) in variables { environment[key] = value }
        environment["WARREN_PHASE"] = phase
        let result = try Subprocess.run("/bin/sh", ["-c", command], environment: environment)
        guard result.status == 0 else {
            let output = (result.stderr + result.stdout).trimmingCharacters(in: .whitespacesAndNewlines)
            throw WarrenError.hookFailed(phase: phase, command: command, status: result.status, output: String(output.suffix(2000)))
        }
    }
}
