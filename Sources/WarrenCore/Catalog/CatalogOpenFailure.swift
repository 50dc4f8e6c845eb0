import GRDB

/// Says why `catalog.sqlite` could not be opened or read, instead of calling every failure
/// "not a Warren catalog … create one with `warren init`" (on a full disk that advice is
/// wrong and dangerous: issue 12 §3).
enum CatalogOpenFailure {
    /// The error to report for `error`, raised while opening or first reading the catalog
    /// at `catalogPath` of the repository at `repositoryPath`.
    static func describe(_ error: any Error, catalogPath: String, repositoryPath: String) -> WarrenError {
        if let error = error as? WarrenError { return error }
        guard let database = error as? DatabaseError else {
            return .catalog(detail: "cannot open \(catalogPath): \(error)")
        }
        switch database.resultCode {
        case .SQLITE_NOTADB:
            guard (try? Posix.lstatIfExists(repositoryPath + "/" + StorageName.manifestsPrefix))??.isDirectory == true else {
                return .repositoryNotFound(path: repositoryPath, reason: "catalog.sqlite is not a Warren catalog (it is not an SQLite database)")
            }
            return .catalog(detail: "\(catalogPath) is damaged: it is not an SQLite database (truncated or overwritten); \(rebuildAdvice(repositoryPath))")
        case .SQLITE_CORRUPT:
            return .catalog(detail: "\(catalogPath) is damaged (\(database.message ?? "database disk image is malformed")); \(rebuildAdvice(repositoryPath))")
        case .SQLITE_FULL, .SQLITE_IOERR, .SQLITE_CANTOPEN:
            if let free = FileSystemSpace.available(at: repositoryPath), free < FileSystemSpace.catalogMinimum {
                return .diskFull(path: repositoryPath, operation: "open its catalog (SQLite needs room for catalog.sqlite-wal and catalog.sqlite-shm)", available: free)
            }
            if database.resultCode == .SQLITE_CANTOPEN {
                return .catalog(detail: "cannot open \(catalogPath) (\(database.message ?? "unable to open")); check that this user can read it and write its directory (SQLite creates catalog.sqlite-wal and -shm beside it)")
            }
            return .catalog(detail: "cannot read \(catalogPath): \(error)")
        case .SQLITE_PERM, .SQLITE_READONLY, .SQLITE_AUTH:
            return .catalog(detail: "cannot open \(catalogPath) (\(database.message ?? "permission denied")); check that this user can read it and write its directory")
        default:
            return .repositoryNotFound(path: repositoryPath, reason: "catalog.sqlite is not a Warren catalog (\(error))")
        }
    }

    /// The repository alone is enough to recreate the catalog (issue 17).
    static func rebuildAdvice(_ repositoryPath: String) -> String {
        "recreate it from the repository with `warren catalog rebuild --repo \(repositoryPath) --force` (the damaged file is kept as catalog.sqlite.before-rebuild)"
    }
}
