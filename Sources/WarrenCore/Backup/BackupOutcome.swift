/// What `backup --json` prints: the new backup's summary, with `losses` beside its fields:
/// what stopping the app dropped on the source (empty for a live backup).
public struct BackupOutcome: Sendable, Encodable {
    public var summary: BackupSummary
    public var losses: [StopLoss]

    public init(summary: BackupSummary, losses: [StopLoss]) {
        self.summary = summary
        self.losses = losses
    }

    private enum CodingKeys: String, CodingKey { case losses }

    public func encode(to encoder: Encoder) throws {
        try summary.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(losses, forKey: .losses)
    }
}
