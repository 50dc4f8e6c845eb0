/// What `backup --json` prints and a server backup job returns: the new backup's summary,
/// with `losses` beside its fields: what stopping the app dropped on the source (empty for a
/// live backup, and for a backup without a recorded survey).
public struct BackupOutcome: Sendable, Encodable {
    public var summary: BackupSummary
    public var losses: [StopLoss]

    public init(summary: BackupSummary, losses: [StopLoss]) {
        self.summary = summary
        self.losses = losses
    }

    /// Backup `id`'s outcome, from the catalog alone: the losses come from the broker survey
    /// recorded with it (part of its manifest, so a rebuilt catalog gives the same), and count
    /// only when the app was stopped for the copy.
    /// - Throws: ``WarrenError/backupNotFound(id:)``.
    public static func load(id: Int64, catalog: Catalog) throws -> BackupOutcome {
        try CatalogAccess.read(catalog) { db in
            let summary = try CatalogQueries.summary(db, id: id)
            let survey = try BrokerSurveyRecorder.load(backupID: id, in: db)
            return BackupOutcome(summary: summary, losses: summary.consistent == true ? survey?.losses ?? [] : [])
        }
    }

    private enum CodingKeys: String, CodingKey { case losses }

    public func encode(to encoder: Encoder) throws {
        try summary.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(losses, forKey: .losses)
    }
}
