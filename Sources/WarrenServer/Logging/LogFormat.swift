/// How `warren serve` writes its log lines on stderr.
public enum LogFormat: String, Sendable, CaseIterable {
    /// swift-log's plain text lines.
    case text
    /// One JSON object per line (``JSONLogHandler``), for journald and log shippers.
    case json
}
