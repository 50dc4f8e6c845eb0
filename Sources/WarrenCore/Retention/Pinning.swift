import Foundation
import GRDB

/// `warren pin ID [--note TEXT]` / `warren unpin ID`. A pinned backup is never pruned.
/// Pinning is a short catalog write and does not take the repository lock: `prune` re-reads
/// pins inside its deletion transaction, so a pin is either seen by a prune or applied after it.
public struct Pinning: Sendable {
    public let catalog: Catalog
    /// Where pins are kept in the repository; nil: the plaintext repository of `catalog`.
    let documents: (any RepositoryStorage)?

    /// Pins in a plaintext repository, found from its catalog.
    public init(catalog: Catalog) {
        self.catalog = catalog
        documents = nil
    }

    /// Pins in `repository` (sealed when it is encrypted).
    public init(repository: Repository) {
        catalog = repository.catalog
        documents = repository.storage
    }

    private func state() throws -> RepositoryStateStore { try .of(documents, catalog: catalog) }

    /// Pins the backup (again: replaces the note). Returns its summary.
    @discardableResult
    public func pin(id: Int64, note: String?) throws -> BackupSummary {
        if let note {
            guard note.unicodeScalars.count <= 1024 else { throw WarrenError.invalidArgument(name: "note", reason: "must be at most 1024 characters") }
            guard !note.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
                throw WarrenError.invalidArgument(name: "note", reason: "must not contain control characters")
            }
        }
        _ = try CatalogQueries(catalog: catalog).summary(id: id)
        // The repository first (issue 17 §2): a rebuilt catalog keeps the pin.
        let pin = RepositoryStateStore.Pin(note: note, pinnedAt: Timestamp.format(Date()))
        let store = try state()
        try store.putPin(pin, backupID: id)
        do {
            return try catalog.pin(id: id, pin)
        } catch WarrenError.backupNotFound(let id) {
            try? store.removePin(backupID: id)   // pruned meanwhile
            throw WarrenError.backupNotFound(id: id)
        }
    }

    /// Unpins the backup; `wasPinned` is false when it was not pinned.
    public func unpin(id: Int64) throws -> (summary: BackupSummary, wasPinned: Bool) {
        _ = try CatalogQueries(catalog: catalog).summary(id: id)
        try state().removePin(backupID: id)
        return try catalog.unpin(id: id)
    }
}
