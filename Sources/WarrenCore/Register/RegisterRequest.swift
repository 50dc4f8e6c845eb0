import Foundation

/// `warren register DIR --node NAME …`: a backup made by hand with the documented procedure.
public struct RegisterRequest: Sendable {
    /// The backup directory: a definitions file and `msg_stores/`.
    public var directory: String
    public var node: String
    public var label: String?
    /// When the backup was taken; defaults to the definitions file's modification time
    /// (when the export was made).
    public var takenAt: Date?
    /// A definitions file elsewhere than `DIR/definitions.json` or `DIR/definitions.backup`.
    public var definitionsPath: String?

    public init(directory: String, node: String, label: String? = nil, takenAt: Date? = nil, definitionsPath: String? = nil) {
        self.directory = directory
        self.node = node
        self.label = label
        self.takenAt = takenAt
        self.definitionsPath = definitionsPath
    }
}
