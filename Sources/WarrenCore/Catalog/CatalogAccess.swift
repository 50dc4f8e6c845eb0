import GRDB

/// Catalog reads and writes with SQLite errors turned into ``WarrenError/catalog(detail:)``
/// (a ``WarrenError`` thrown inside passes as is). Every catalog access in WarrenCore goes
/// through here.
enum CatalogAccess {
    static func read<T>(_ catalog: Catalog, _ body: (Database) throws -> T) throws -> T {
        try read(catalog.pool, body)
    }

    static func read<T>(_ reader: any DatabaseReader, _ body: (Database) throws -> T) throws -> T {
        do {
            return try reader.read(body)
        } catch let error as WarrenError {
            throw error
        } catch {
            throw WarrenError.catalog(detail: "\(error)")
        }
    }

    /// One transaction: all of `body` or nothing.
    static func write<T>(_ catalog: Catalog, _ body: (Database) throws -> T) throws -> T {
        do {
            return try catalog.pool.write(body)
        } catch let error as WarrenError {
            throw error
        } catch {
            throw WarrenError.catalog(detail: "\(error)")
        }
    }
}
