import ArgumentParser

/// `--json`: machine-readable output on stdout, with stable snake_case field names.
struct OutputOptions: ParsableArguments {
    @Flag(name: .long, help: "Print JSON instead of text.")
    var json = false
}
