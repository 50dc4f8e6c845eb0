import GRDB

/// What the dry runs of `prune`, `gc` and `check` need: a catalog to read and the object
/// store. Both a ``Repository`` and a ``ReadOnlyRepository`` provide it.
public protocol RepositoryReadable: Sendable {
    var path: String { get }
    var catalogReader: any DatabaseReader { get }
    var objects: ObjectStore { get }
    /// Its documents (manifests, tombstones, state), opened through the key when encrypted.
    var storage: any RepositoryStorage { get }
}

extension Repository: RepositoryReadable {
    public var catalogReader: any DatabaseReader { catalog.reader }
}
