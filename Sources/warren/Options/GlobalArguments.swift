/// Options an operator may give before the subcommand, as restic takes them:
/// `warren --repo R list`, `warren -r R --json list`, `warren --socket S list`, `warren -q prune`,
/// `warren --version`.
///
/// ArgumentParser only knows the options of the chosen subcommand, so these are moved behind
/// the subcommand path (before a `--` if there is one), where every command that has them reads them.
enum GlobalArguments {
    /// Global options that take a value.
    static let valued: Set<String> = ["--repo", "-r", "--socket", "--password-file", "--password-command"]
    /// Global flags.
    static let flags: Set<String> = ["--json", "-q", "--quiet", "-v", "--verbose"]

    /// The arguments with leading global options moved behind the subcommand;
    /// a leading `--version` becomes the `version` subcommand.
    static func hoisting(_ arguments: [String]) -> [String] {
        var rest = arguments
        var hoisted: [String] = []
        while let first = rest.first {
            if valued.contains(first), rest.count >= 2 {
                hoisted += rest.prefix(2)
                rest.removeFirst(2)
            } else if flags.contains(first) || valued.contains(where: { first.hasPrefix($0 + "=") && $0.hasPrefix("--") }) {
                hoisted.append(first)
                rest.removeFirst()
            } else {
                break
            }
        }
        if rest.first == "--version" { rest[0] = "version" }
        guard !hoisted.isEmpty else { return rest }
        if let separator = rest.firstIndex(of: "--") {
            rest.insert(contentsOf: hoisted, at: separator)
            return rest
        }
        return rest + hoisted
    }

    /// Numeric options whose value may be typed negative by mistake.
    static let numeric = ["--keep-", "--limit", "--lock-timeout"]

    /// `--keep-last -1` becomes `--keep-last=-1`, so that the command's own check says the value
    /// must be >= 1 (ArgumentParser reads a lone `-1` as an option and says "missing value").
    static func joiningNegativeValues(_ arguments: [String]) -> [String] {
        var result: [String] = []
        var index = arguments.startIndex
        while index < arguments.endIndex {
            let argument = arguments[index]
            if argument == "--" {
                result += arguments[index...]
                break
            }
            let next = index + 1 < arguments.endIndex ? arguments[index + 1] : nil
            if let next, !argument.contains("="), numeric.contains(where: { argument.hasPrefix($0) }),
               next.count > 1, next.first == "-", Double(next) != nil {
                result.append(argument + "=" + next)
                index += 2
            } else {
                result.append(argument)
                index += 1
            }
        }
        return result
    }

    /// Whether the user asked for JSON output (before any `--`).
    static func wantsJSON(_ arguments: [String]) -> Bool {
        let options = arguments.firstIndex(of: "--").map { Array(arguments[..<$0]) } ?? arguments
        return options.contains("--json")
    }
}
