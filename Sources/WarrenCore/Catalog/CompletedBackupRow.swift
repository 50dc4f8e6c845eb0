import Foundation
import GRDB

/// The `backup` row of a complete backup, as its manifest determines it: the header's own
/// columns (``BackupManifest/Header`` is the record), the state, the definitions object and
/// the totals of the manifest's lists. The definitions counts are not here: they are counted
/// from the `def_*` rows of the same transaction (``BackupRows/markComplete(_:in:)``).
/// Pins and verdicts are not either: an update leaves them as they are.
struct CompletedBackupRow: PersistableRecord {
    static let databaseTableName = "backup"

    var manifest: BackupManifest

    func encode(to container: inout PersistenceContainer) throws {
        try manifest.backup.encode(to: &container)
        guard let definitions = ObjectID(hex: manifest.definitions.sha256) else {
            throw WarrenError.catalog(detail: "manifest names an invalid object id '\(manifest.definitions.sha256)'")
        }
        let totals = manifest.messageTotals
        container["state"] = BackupState.complete
        container["failure"] = nil
        container["definitions_sha256"] = definitions
        container["definitions_size"] = manifest.definitions.size
        container["stored_vhost_count"] = manifest.storedVhosts.count
        container["stored_queue_count"] = manifest.storedQueues.count
        container["file_count"] = manifest.files.count
        container["logical_bytes"] = manifest.logicalBytes
        container["message_count"] = totals.messages
        container["message_bytes"] = totals.bytes
    }
}
