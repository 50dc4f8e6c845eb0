/// Checks on the names users give backups.
public enum BackupNaming {
    public static func validate(node: String, label: String?) throws {
        // Characters (Unicode scalars), as Erlang counts an atom's length and JSON Schema a string's.
        guard !node.isEmpty, node.unicodeScalars.count <= 255 else {
            throw WarrenError.invalidArgument(name: "node", reason: "must be 1 to 255 characters")
        }
        guard !node.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw WarrenError.invalidArgument(name: "node", reason: "must not contain control characters")
        }
        if let label {
            guard label.unicodeScalars.count <= 1024 else {
                throw WarrenError.invalidArgument(name: "label", reason: "must be at most 1024 characters")
            }
            guard !label.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
                throw WarrenError.invalidArgument(name: "label", reason: "must not contain control characters")
            }
        }
    }
}
