import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A repository's key files (`keys/<id>`) through its ``RepositoryStorage``, so that keys
/// live wherever the repository does (a local directory or a bucket). Key files are written
/// once under the SHA-256 of their content (put-if-absent) and removed by name.
public struct StorageKeyFiles: KeyFileStorage {
    public let storage: any RepositoryStorage

    public init(storage: any RepositoryStorage) { self.storage = storage }

    public var location: String { storage.describe(.keysDirectory) }

    public func names() throws -> [String] {
        try storage.list(prefix: StorageName.keysPrefix)
            .map { String($0.path.dropFirst(StorageName.keysPrefix.utf8.count + 1)) }
            .filter(KeyDirectory.isKeyName)
            .sorted()
    }

    public func read(_ name: String) throws -> Data {
        guard let bytes = try storage.get(.key(name)) else {
            throw WarrenError.crypto(.keyFileInvalid(name: name, reason: "it is gone (removed by another process?)"))
        }
        guard bytes.count <= KeyFile.sizeLimit else {
            throw WarrenError.crypto(.keyFileInvalid(name: name, reason: "it is \(bytes.count) bytes, too large"))
        }
        return Data(bytes)
    }

    public func create(_ name: String, contents: Data) throws {
        precondition(KeyDirectory.isKeyName(name), "key file names are 64 hex digits")
        // A key file's name is the SHA-256 of its bytes, and every key file has a fresh salt:
        // a name already present can only hold these very bytes.
        try storage.put(.key(name), Array(contents), ifAbsent: true)
    }

    public func remove(_ name: String) throws {
        guard try storage.head(.key(name)) != nil else {
            throw WarrenError.crypto(.keyNotFound(id: name))
        }
        try storage.delete(.key(name))
    }
}
