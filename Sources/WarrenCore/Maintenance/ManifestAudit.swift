import Foundation
import GRDB

/// `warren check`'s comparison of the catalog with the manifests and tombstones in the
/// repository (issue 17). Finding codes (stable):
///
/// | code | severity | meaning | repair |
/// |---|---|---|---|
/// | `manifest_missing` | error | a complete backup has no manifest (e.g. made before manifests existed) | written from the catalog |
/// | `manifest_damaged` | error | a manifest fails its checksum or cannot be read | rewritten from the catalog |
/// | `manifest_mismatch` | error | a manifest and the catalog disagree about a backup | none: compare with `catalog rebuild --output` |
/// | `manifest_not_in_catalog` | warning | a whole manifest whose catalog transaction never ran (a crash just before it) | recorded in the catalog |
/// | `manifest_orphaned` | warning | a manifest of a backup that never completed, unusable (damaged or objects gone) | removed |
/// | `deletion_unfinished` | warning | a deleted backup's manifest is still there (a prune stopped after its transaction) | removed |
/// | `deletion_cancelled` | warning | a complete backup has a tombstone (a prune stopped before its transaction) | tombstone removed, the backup stays |
struct ManifestAudit {
    let repository: any RepositoryReadable
    /// A live lock holder may be writing: then in-progress backups are left alone.
    let liveWriter: LockHolder?
    let repairing: Repository?

    func run() throws -> [CheckFinding] {
        let manifests = ManifestStore(storage: repository.storage)
        let stored = Set(try manifests.manifestIDs())
        let tombstones = Set(try manifests.tombstoneIDs())
        let states = try CatalogAccess.read(repository.catalogReader) { db in
            Dictionary(uniqueKeysWithValues: try Row.fetchAll(db, sql: "SELECT id, state FROM backup").map {
                ($0["id"] as Int64, $0["state"] as BackupState)
            })
        }
        var findings: [CheckFinding] = []
        for id in states.keys.sorted() where states[id] == .complete {
            findings += try auditComplete(id, hasManifest: stored.contains(id), tombstoned: tombstones.contains(id), manifests)
        }
        for id in stored.sorted() where states[id] != .complete {
            if tombstones.contains(id) {
                let fixed = try repair { _ in try manifests.finishDeletion([id]) }
                findings.append(CheckFinding(
                    "deletion_unfinished", .warning,
                    "backup \(id) was deleted but its manifest is still in the repository" + (fixed ? "; removed" : ""),
                    fix: fixed ? nil : "run `warren check` (without --dry-run) to finish the deletion", fixed: fixed, backup: id))
                continue
            }
            if states[id] == .inProgress, liveWriter != nil { continue }
            findings.append(try auditUncatalogued(id, manifests))
        }
        for id in tombstones.subtracting(stored) where states[id] == nil {
            _ = try repair { _ in try manifests.removeTombstones([id]) }
        }
        return findings
    }

    private func auditComplete(_ id: Int64, hasManifest: Bool, tombstoned: Bool, _ manifests: ManifestStore) throws -> [CheckFinding] {
        var findings: [CheckFinding] = []
        if tombstoned {
            let fixed = try repair { _ in try manifests.removeTombstones([id]) }
            findings.append(CheckFinding(
                "deletion_cancelled", .warning,
                "backup \(id) has a tombstone left by a prune that stopped before deleting it; the backup is kept" + (fixed ? " and the tombstone removed" : ""),
                fix: fixed ? "run `warren prune` again if it should go" : "run `warren check` (without --dry-run) to keep the backup",
                fixed: fixed, backup: id))
        }
        let fromCatalog = try CatalogAccess.read(repository.catalogReader) { try ManifestLoader.load(id: id, in: $0) }
        guard let fromCatalog else { return findings }
        guard hasManifest, let result = try manifests.read(id) else {
            let fixed = try repair { _ in try manifests.write(fromCatalog) }
            findings.append(CheckFinding(
                "manifest_missing", .error,
                "backup \(id) has no manifest in the repository: a rebuild of the catalog would lose it" + (fixed ? "; written from the catalog" : ""),
                fix: fixed ? nil : "run `warren check` (without --dry-run) or `warren catalog upgrade` to write it", fixed: fixed, backup: id))
            return findings
        }
        switch result {
        case .failure(let damage):
            let fixed = try repair { _ in
                try manifests.storage.put(.manifest(backupID: id), try ManifestStore.encoded(fromCatalog), ifAbsent: false)
            }
            findings.append(CheckFinding(
                "manifest_damaged", .error, damage.description + (fixed ? "; rewritten from the catalog" : ""),
                fix: fixed ? nil : "run `warren check` (without --dry-run) to rewrite it from the catalog", fixed: fixed, backup: id))
        case .success(let manifest):
            if manifest != fromCatalog {
                findings.append(CheckFinding(
                    "manifest_mismatch", .error,
                    "backup \(id): its manifest and the catalog disagree (\(Self.firstDifference(manifest, fromCatalog)))",
                    fix: "compare with `warren catalog rebuild --output FILE`; one of the two was changed outside Warren",
                    backup: id))
            }
        }
        return findings
    }

    private func auditUncatalogued(_ id: Int64, _ manifests: ManifestStore) throws -> CheckFinding {
        let manifest: BackupManifest? = switch try manifests.read(id) {
        case .success(let m)?: m
        default: nil
        }
        // Objects queued for deletion count as gone: the reaper removes them whatever refers to them.
        let queued = Set(try CatalogAccess.read(repository.catalogReader) {
            try Data.fetchAll($0, sql: "SELECT sha256 FROM object_deletion")
        }.compactMap { ObjectID(bytes: [UInt8]($0)) })
        let missing = manifest.map { m in
            ([m.definitions] + m.files.map { .init(sha256: $0.sha256, size: $0.size) }).filter { ref in
                guard let object = ObjectID(hex: ref.sha256) else { return true }
                return queued.contains(object) || !repository.objects.contains(object, size: ref.size)
            }.count
        }
        if let manifest, missing == 0 {
            let fixed = try repair { repo in
                try repo.catalog.completeInterruptedBackup(manifest)
            }
            return CheckFinding(
                "manifest_not_in_catalog", .warning,
                "backup \(id) of \(manifest.backup.node) was stored whole but the catalog never recorded it complete (interrupted)" + (fixed ? "; recorded" : ""),
                fix: fixed ? nil : "run `warren check` (without --dry-run) to record it", fixed: fixed, backup: id)
        }
        let why = manifest == nil ? "it cannot be read" : "\(missing ?? 0) of its objects are gone"
        let fixed = try repair { _ in try manifests.remove(id) }
        return CheckFinding(
            "manifest_orphaned", .warning,
            "the manifest of backup \(id), which never completed, is unusable (\(why))" + (fixed ? "; removed" : ""),
            fix: fixed ? nil : "run `warren check` (without --dry-run) to remove it", fixed: fixed, backup: id)
    }

    /// Runs `body` when repairing; true when it ran.
    private func repair(_ body: (Repository) throws -> Void) throws -> Bool {
        guard let repairing else { return false }
        try body(repairing)
        return true
    }

    static func firstDifference(_ a: BackupManifest, _ b: BackupManifest) -> String {
        if a.backup != b.backup { return "backup fields" }
        if a.definitions != b.definitions { return "definitions object" }
        if a.inventory != b.inventory { return "inventory" }
        if a.storedVhosts != b.storedVhosts { return "stored vhosts" }
        if a.storedQueues != b.storedQueues { return "stored queues" }
        if a.files != b.files { return "files: manifest \(a.files.count), catalog \(b.files.count)" }
        return "expected counts"
    }
}
