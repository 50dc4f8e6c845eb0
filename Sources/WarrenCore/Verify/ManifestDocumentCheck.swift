/// `verify`'s look at the backup's manifest document (issue 17): the restore itself reads
/// the catalog, so a missing or damaged manifest is a warning, but it means a catalog
/// rebuild would lose this backup.
struct ManifestDocumentCheck {
    let repository: Repository

    func findings(id: Int64) throws -> [Finding] {
        let store = repository.manifests
        let location = store.storage.describe(.manifest(backupID: id))
        guard let result = try store.read(id) else {
            return [Finding(.manifestMissing, path: location, "backup \(id) has no manifest in the repository, so a rebuild of the catalog would lose it; run `warren check` (or `warren catalog upgrade`) to write it")]
        }
        switch result {
        case .failure(let damage):
            return [Finding(.manifestDamaged, path: location, "\(damage); run `warren check` to rewrite it from the catalog")]
        case .success(let manifest):
            let fromCatalog = try CatalogAccess.read(repository.catalog) { try ManifestLoader.load(id: id, in: $0) }
            guard let fromCatalog, manifest != fromCatalog else { return [] }
            return [Finding(.manifestMismatch, path: location, "backup \(id): its manifest and the catalog disagree (\(ManifestAudit.firstDifference(manifest, fromCatalog))); compare with `warren catalog rebuild --output FILE`")]
        }
    }
}
