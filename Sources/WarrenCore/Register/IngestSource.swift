import Foundation

/// What one backup is made from, whoever found it (a manual copy, or a live node).
struct IngestSource: Sendable {
    var node: String
    var label: String?
    var takenAt: Date
    var origin: BackupSource
    var sourcePath: String?
    var consistent: Bool?
    var definitionsPath: String
    var definitionsBytes: [UInt8]
    var definitions: Definitions
    var msgStoresPath: String
    var includeTransient: Bool
    /// The previous complete backup of the node, whose unchanged files are not read again.
    var parent: ParentManifest? = nil
    /// The broker's own per-queue counts at backup time.
    var expectedCounts: [BrokerControl.QueueInfo] = []
    /// What the broker held just before the copy (issue 16 §2); nil for a registered copy.
    var survey: BrokerSurvey? = nil
}
