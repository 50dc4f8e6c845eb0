import ArgumentParser

/// `-q/--quiet` and `-v/--verbose`, on every command (also before the subcommand, see
/// ``GlobalArguments``). Results on stdout and errors are printed either way.
struct VerbosityOptions: ParsableArguments {
    @Flag(name: .shortAndLong, help: "Print only results and errors: no progress, notes or summaries on stderr.")
    var quiet = false

    @Flag(name: .shortAndLong, help: "Print details on stderr too, such as the full text of a failed rabbitmqctl call and the repository used.")
    var verbose = false

    func validate() throws {
        if quiet && verbose { throw ValidationError("--quiet and --verbose exclude each other; give one") }
    }

    /// The level ``Terminal`` prints at.
    var level: Verbosity { quiet ? .quiet : verbose ? .verbose : .normal }
}
