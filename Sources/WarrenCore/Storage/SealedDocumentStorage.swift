/// The storage of an encrypted repository as every document reader and writer sees it:
/// each document (manifests, tombstones, state documents, and any other name but `config`,
/// `keys/` and `objects/`) is sealed in one envelope on ``put(_:_:ifAbsent:)`` and opened on
/// ``get(_:)``, with its storage name bound in as the envelope's name (a manifest moved to
/// another backup's name does not open) and the format version in the authenticated header.
/// `config` stays plaintext (it says whether a password is needed), key files are sealed by
/// their own scrypt-derived keys, and objects are sealed by ``ObjectStore``.
///
/// This is the one decrypting path for documents: ``Repository/storage`` is one of these in
/// an encrypted repository, so `check`, `verify`, `catalog rebuild`, `catalog upgrade`, `gc`,
/// `prune` and the state writers all read and write through it.
public struct SealedDocumentStorage: RepositoryStorage {
    /// The storage the envelopes are kept in.
    public let inner: any RepositoryStorage
    let cipher: EnvelopeCipher

    public init(inner: any RepositoryStorage, master: MasterKey) {
        self.inner = inner
        cipher = master.cipher()
    }

    /// The storage for a repository: sealing when it has a key ring, else `inner` as is.
    public static func wrapping(_ inner: any RepositoryStorage, keyRing: KeyRing?) -> any RepositoryStorage {
        guard let keyRing else { return inner }
        return SealedDocumentStorage(inner: inner, master: keyRing.master)
    }

    /// Whether `name` is stored sealed by this type (every document but `config` and `keys/`;
    /// objects are sealed by ``ObjectStore``).
    public static func seals(_ name: StorageName) -> Bool {
        let path = name.path
        return name != .config && !path.hasPrefix(StorageName.keysPrefix + "/") && !path.hasPrefix("objects/")
    }

    /// The envelope kind of a sealed document: manifests are ``SealedKind/manifest``,
    /// everything else (tombstones, pins, verdicts, policies) ``SealedKind/state``.
    static func kind(of name: StorageName) -> SealedKind {
        name.path.hasPrefix(StorageName.manifestsPrefix + "/") ? .manifest : .state
    }

    @discardableResult
    public func put(_ name: StorageName, _ bytes: [UInt8], ifAbsent: Bool) throws -> StoragePutOutcome {
        guard Self.seals(name) else { return try inner.put(name, bytes, ifAbsent: ifAbsent) }
        return try inner.put(name, cipher.seal(bytes, kind: Self.kind(of: name), name: Array(name.path.utf8)), ifAbsent: ifAbsent)
    }

    /// The plaintext of `name`, or nil when it does not exist.
    /// - Throws: ``CryptoError/decryptionFailed(object:kind:failure:)`` (exit 11) naming the
    ///   document when its envelope does not open; nothing of it is returned.
    public func get(_ name: StorageName) throws -> [UInt8]? {
        guard let stored = try inner.get(name) else { return nil }
        guard Self.seals(name) else { return stored }
        let kind = Self.kind(of: name)
        do {
            return try cipher.open(stored, kind: kind, name: Array(name.path.utf8))
        } catch {
            throw error.error(object: inner.describe(name), kind: kind)
        }
    }

    /// The stored (sealed) size.
    public func head(_ name: StorageName) throws -> Int64? { try inner.head(name) }

    public func list(prefix: String) throws -> [StorageName] { try inner.list(prefix: prefix) }

    public func listVersions(prefix: String) throws -> [(name: StorageName, version: String?)] { try inner.listVersions(prefix: prefix) }

    public func delete(_ name: StorageName) throws { try inner.delete(name) }

    public func describe(_ name: StorageName) -> String { inner.describe(name) }

    // Streamed files are objects, which ``ObjectStore`` seals before they are installed:
    // these pass through unchanged, like `put` of a name this type does not seal.
    public var temporaryDirectory: String { inner.temporaryDirectory }

    public func install(_ temporary: String, as name: StorageName) throws {
        precondition(!Self.seals(name), "a document is put, never installed: \(name.path)")
        try inner.install(temporary, as: name)
    }

    public func syncInstalled() throws { try inner.syncInstalled() }

    public func read(_ name: StorageName, chunk: UnsafeMutableRawBufferPointer, _ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        precondition(!Self.seals(name), "a document is read with get, never streamed: \(name.path)")
        try inner.read(name, chunk: chunk, body)
    }
}
