/// How much ``Terminal`` prints on stderr besides results and errors.
enum Verbosity: Sendable {
    /// Results and errors only (`--quiet`).
    case quiet
    /// Progress, notes and summaries as well (the default).
    case normal
    /// Details as well, such as the full text of a failed rabbitmqctl call (`--verbose`).
    case verbose
}
