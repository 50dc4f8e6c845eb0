/// Checks on the names users give backups.
public enum BackupNaming {
    public static func validate(node: String, label: String?) throws {
        guard !node.isEmpty, node.utf8.count <= 255 else {
            throw WarrenError.invalidArgument(name: "node", reason: "must be 1 to 255 bytes")
        }
        guard !node.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw WarrenError.invalidArgument(name: "node", reason: "must not contain control characters")
        }
        if let label {
            guard label.utf8.count <= 1024 else {
                throw WarrenError.invalidArgument(name: "label", reason: "must be at most 1024 bytes")
            }
            guard !label.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
                throw WarrenError.invalidArgument(name: "label", reason: "must not contain control characters")
            }
        }
    }
}
