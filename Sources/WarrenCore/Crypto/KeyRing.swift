import Foundation

/// A repository's key files, opened with one password: the master key and the id of the
/// key file that opened it. Adding, removing and changing passwords only ever writes or
/// removes key files; no object is touched, because every key file wraps the same master key.
///
/// Writers of key files should hold the repository's write lock, so that two `key`
/// commands cannot each remove the key the other relies on.
public struct KeyRing: Sendable {
    public let storage: any KeyFileStorage
    public let master: MasterKey
    /// The key file that opened the repository in this process.
    public let keyID: String

    /// Creates the first key of a new repository: a fresh master key sealed under `password`.
    /// Refused when `storage` already holds key files.
    public static func create(
        in storage: any KeyFileStorage, password: Password, parameters: ScryptParameters = .standard,
        owner: KeyOwner = .current, now: Date = Date()
    ) throws -> KeyRing {
        let existing = try storage.names()
        guard existing.isEmpty else {
            throw WarrenError.crypto(.keyRingExists(location: storage.location, count: existing.count))
        }
        let master = MasterKey.generate()
        let id = try write(master, to: storage, password: password, parameters: parameters, owner: owner, now: now)
        return KeyRing(storage: storage, master: master, keyID: id)
    }

    /// Opens the repository with any key's password. Every well-formed key file is tried;
    /// a wrong password is one error however many keys there are, and says nothing about why.
    /// - Parameter expectedFingerprint: the repository's recorded key fingerprint, when known:
    ///   a key file of another repository is then refused even if the password opens it.
    public static func open(
        _ storage: any KeyFileStorage, password: Password, expectedFingerprint: String? = nil
    ) throws -> KeyRing {
        guard !password.isEmpty else { throw WarrenError.crypto(.emptyPassword(source: "the password given")) }
        let names = try storage.names()
        guard !names.isEmpty else { throw WarrenError.crypto(.noKeys(location: storage.location)) }
        var usable = 0
        var firstProblem: CryptoError?
        for name in names {
            do {
                let file = try KeyFile.decode(try storage.read(name), name: name)
                usable += 1
                guard let master = try file.open(password: password, name: name) else { continue }
                if let expectedFingerprint, master.fingerprint != expectedFingerprint {
                    throw CryptoError.foreignKey(name: name, fingerprint: master.fingerprint, expected: expectedFingerprint)
                }
                return KeyRing(storage: storage, master: master, keyID: name)
            } catch let error as CryptoError {
                if case .foreignKey = error { throw WarrenError.crypto(error) }
                if case .keyDerivationFailed = error { throw WarrenError.crypto(error) }
                firstProblem = firstProblem ?? error
            } catch let WarrenError.crypto(error) {
                firstProblem = firstProblem ?? error
            }
        }
        if usable == 0, let firstProblem { throw WarrenError.crypto(firstProblem) }
        throw WarrenError.crypto(.wrongPassword(keyCount: usable))
    }

    /// Every key file's metadata; damaged ones are listed with their problem.
    public static func list(_ storage: any KeyFileStorage, current: String? = nil) throws -> [KeyInfo] {
        try storage.names().map { name in
            var info = KeyInfo(id: name, current: name == current)
            do {
                let file = try KeyFile.decode(try storage.read(name), name: name)
                info.createdAt = file.createdAt
                info.host = file.host
                info.user = file.user
                info.kdf = file.kdf.scrypt.description
                info.algorithm = file.algorithm
                info.keyFingerprint = file.keyFingerprint
            } catch let error as CryptoError {
                info.problem = Self.reason(error)
            } catch let WarrenError.crypto(error) {
                info.problem = Self.reason(error)
            }
            return info
        }
    }

    /// The key files, with the one that opened this ring marked.
    public func list() throws -> [KeyInfo] { try Self.list(storage, current: keyID) }

    /// Adds a key for another password (same master key). Returns the new key's id.
    @discardableResult
    public func add(password: Password, parameters: ScryptParameters = .standard, owner: KeyOwner = .current, now: Date = Date()) throws -> String {
        try Self.write(master, to: storage, password: password, parameters: parameters, owner: owner, now: now)
    }

    /// Removes the key whose id is or starts with `id`. Refused for the only key, and for
    /// the key that opened this ring. Returns the removed key's full id.
    @discardableResult
    public func remove(id: String) throws -> String {
        let names = try storage.names()
        let target = try Self.resolve(id, among: names)
        guard names.count > 1 else { throw WarrenError.crypto(.lastKey(id: target)) }
        guard target != keyID else { throw WarrenError.crypto(.keyInUse(id: target)) }
        try storage.remove(target)
        return target
    }

    /// Changes this key's password: writes a new key file for `password` (checked to open),
    /// then removes the old one. A crash in between leaves both keys, never neither.
    /// Returns the ring opened by the new key.
    public func changePassword(
        to password: Password, parameters: ScryptParameters = .standard, owner: KeyOwner = .current, now: Date = Date()
    ) throws -> KeyRing {
        let id = try add(password: password, parameters: parameters, owner: owner, now: now)
        try storage.remove(keyID)
        return KeyRing(storage: storage, master: master, keyID: id)
    }

    /// The full id for `id` (a whole id or a unique prefix of at least 4 digits).
    static func resolve(_ id: String, among names: [String]) throws -> String {
        let wanted = id.lowercased()
        if names.contains(wanted) { return wanted }
        guard wanted.utf8.count >= 4 else { throw WarrenError.crypto(.keyNotFound(id: id)) }
        let matches = names.filter { $0.hasPrefix(wanted) }
        switch matches.count {
        case 0: throw WarrenError.crypto(.keyNotFound(id: id))
        case 1: return matches[0]
        default: throw WarrenError.crypto(.keyIDAmbiguous(prefix: id, matches: matches.map { String($0.prefix(12)) }))
        }
    }

    /// Seals `master` for `password`, checks that the file opens again, and stores it.
    private static func write(
        _ master: MasterKey, to storage: any KeyFileStorage, password: Password, parameters: ScryptParameters,
        owner: KeyOwner, now: Date
    ) throws -> String {
        do {
            if let problem = parameters.problem { throw CryptoError.invalidScryptParameters(reason: problem) }
            let file = try KeyFile.seal(master, password: password, parameters: parameters, host: owner.host, user: owner.user, createdAt: now)
            let data = file.encoded()
            let id = KeyFile.id(of: data)
            // As restic's `key passwd` does: never store a key that would not open.
            guard try KeyFile.decode(data, name: id).open(password: password, name: id)?.bytes == master.bytes else {
                preconditionFailure("a freshly sealed key file does not open")
            }
            try storage.create(id, contents: data)
            return id
        } catch let error as CryptoError {
            throw WarrenError.crypto(error)
        }
    }

    private static func reason(_ error: CryptoError) -> String {
        if case let .keyFileInvalid(_, reason) = error { return reason }
        return error.description
    }
}
