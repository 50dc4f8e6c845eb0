import Foundation
import GRDB

/// Catalog reads and writes with SQLite errors turned into ``WarrenError/catalog(detail:)``
/// (a ``WarrenError`` thrown inside passes as is). Every catalog access in WarrenCore goes
/// through here.
enum CatalogAccess {
    static func read<T>(_ catalog: Catalog, _ body: (Database) throws -> T) throws -> T {
        try read(catalog.reader, body)
    }

    static func read<T>(_ reader: any DatabaseReader, _ body: (Database) throws -> T) throws -> T {
        do {
            return try reader.read(body)
        } catch let error as WarrenError {
            throw error
        } catch {
            throw describe(error, path: reader.path)
        }
    }

    /// A damaged page found mid-query names the file and the rebuild, like a damaged header
    /// found at open (issue 17).
    private static func describe(_ error: any Error, path: String) -> WarrenError {
        if let database = error as? DatabaseError, [.SQLITE_CORRUPT, .SQLITE_NOTADB].contains(database.resultCode) {
            return CatalogOpenFailure.describe(error, catalogPath: path, repositoryPath: (path as NSString).deletingLastPathComponent)
        }
        return WarrenError.catalog(detail: "\(error)")
    }

    /// One transaction: all of `body` or nothing.
    static func write<T>(_ catalog: Catalog, _ body: (Database) throws -> T) throws -> T {
        do {
            return try catalog.write(body)
        } catch let error as WarrenError {
            throw error
        } catch {
            throw describe(error, path: catalog.path)
        }
    }
}
