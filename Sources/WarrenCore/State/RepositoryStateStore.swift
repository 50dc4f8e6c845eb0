import Foundation
import GRDB

/// Repository state that is not part of any backup's manifest but must survive the loss of
/// the catalog (issue 17 §2): pins and their notes, the last plain verdict of each backup,
/// and stored retention policies. Each is a small ``ChecksummedDocument`` written (or
/// removed) *before* the catalog row changes, so the repository is never behind the
/// catalog; `warren catalog rebuild` applies them after the manifests.
public struct RepositoryStateStore: Sendable {
    public let storage: any RepositoryStorage

    public init(storage: any RepositoryStorage) {
        self.storage = storage
    }

    /// For a catalog: the repository that holds it, when that is plaintext. An encrypted
    /// repository's state is sealed, so it needs the key: use ``init(storage:)`` with
    /// ``Repository/storage``; this one refuses to write plaintext state into it.
    init(catalog: Catalog) throws {
        let root = LocalDirectoryStorage(root: (catalog.path as NSString).deletingLastPathComponent)
        if try RepositoryConfig.encryption(of: root).isEncrypted {
            throw WarrenError.stepFailed(
                step: "writing repository state",
                detail: "the repository is encrypted and its state documents are sealed; open it with its password (Repository.open) and use its storage")
        }
        storage = root
    }

    /// The state of `documents` (a repository's storage, sealing when encrypted), else of
    /// the plaintext repository that holds `catalog` (see ``init(catalog:)``).
    static func of(_ documents: (any RepositoryStorage)?, catalog: Catalog) throws -> RepositoryStateStore {
        if let documents { return RepositoryStateStore(storage: documents) }
        return try RepositoryStateStore(catalog: catalog)
    }

    public struct Pin: Codable, Sendable, Equatable {
        public var note: String?
        public var pinnedAt: String
    }

    public struct LastVerdict: Codable, Sendable, Equatable {
        public var verdict: Verdict
        public var verifiedAt: String
    }

    static let pinKind = "warren-pin", verdictKind = "warren-verdict", policyKind = "warren-policy"

    func putPin(_ pin: Pin, backupID: Int64) throws {
        try storage.put(.pin(backupID: backupID), try ChecksummedDocument.encode(pin, kind: Self.pinKind, version: 1), ifAbsent: false)
    }

    func removePin(backupID: Int64) throws { try storage.delete(.pin(backupID: backupID)) }

    func putVerdict(_ verdict: LastVerdict, backupID: Int64) throws {
        try storage.put(.verdict(backupID: backupID), try ChecksummedDocument.encode(verdict, kind: Self.verdictKind, version: 1), ifAbsent: false)
    }

    func putPolicy(_ policy: StoredPolicy) throws {
        try storage.put(.policy(node: policy.node), try ChecksummedDocument.encode(policy, kind: Self.policyKind, version: 1), ifAbsent: false)
    }

    func removePolicy(node: String?) throws { try storage.delete(.policy(node: node)) }

    /// A deleted backup's pin and verdict go with it.
    func removeBackupState(_ ids: [Int64]) throws {
        for id in ids {
            try storage.delete(.pin(backupID: id))
            try storage.delete(.verdict(backupID: id))
        }
    }

    /// Writes the documents into the catalog being rebuilt or synchronised (only for
    /// backups it holds), and clears the pins and policies whose documents are gone.
    /// A document whose listed version the catalog has applied before (`state_document`)
    /// is not read again, so a synchronised cache costs one LIST per kind, not one GET per
    /// document; one that could not be read is not recorded, and is read again next time.
    /// A document for a backup the catalog does not hold yet is recorded too: when the
    /// backup is recorded, ``forgetApplied(_:in:)`` makes it new again. Returns what was
    /// unreadable, by location.
    func apply(to db: Database) throws -> [String] {
        var unreadable: [String] = []
        func read<T: Decodable>(_ name: StorageName, _ type: T.Type, kind: String) throws -> T? {
            do {
                guard let bytes = try storage.get(name) else { return nil }
                return try ChecksummedDocument.decode(type, from: bytes, kind: kind, knownVersion: 1)
            } catch let error as WarrenError {
                guard case let .crypto(.decryptionFailed(_, _, failure)) = error else { throw error }
                unreadable.append("\(storage.describe(name)): it cannot be decrypted: \(failure)")
                return nil
            } catch {
                unreadable.append("\(storage.describe(name)): \(error)")
                return nil
            }
        }
        let applied = Dictionary(try Row.fetchAll(db, sql: "SELECT name, version FROM state_document").map { ($0["name"] as String, $0["version"] as String) },
                                 uniquingKeysWith: { a, _ in a })
        typealias Listed = (name: StorageName, version: String?)
        func isNew(_ entry: Listed) -> Bool { entry.version == nil || applied[entry.name.path] != entry.version }
        func remember(_ entry: Listed) throws {
            guard let version = entry.version else { return }
            try db.execute(sql: "INSERT OR REPLACE INTO state_document (name, version) VALUES (?, ?)", arguments: [entry.name.path, version])
        }

        let pins = try storage.listVersions(prefix: StorageName.pinsPrefix)
        for entry in pins where isNew(entry) {
            guard let id = entry.name.backupID, let pin = try read(entry.name, Pin.self, kind: Self.pinKind) else { continue }
            _ = try BackupRows.setPin(id: id, pin, in: db)
            try remember(entry)
        }
        // A pin whose document is gone (unpinned on another host) is cleared; one whose
        // document is there but unreadable stays as it was. Nothing to clear in a new catalog.
        let pinned = Set(pins.compactMap(\.name.backupID))
        for id in try Int64.fetchAll(db, sql: "SELECT id FROM backup WHERE pinned = 1") where !pinned.contains(id) {
            try BackupRows.clearPin(id: id, in: db)
        }
        let verdicts = try storage.listVersions(prefix: StorageName.verdictsPrefix)
        for entry in verdicts where isNew(entry) {
            guard let id = entry.name.backupID, let v = try read(entry.name, LastVerdict.self, kind: Self.verdictKind) else { continue }
            try BackupRows.setLastVerdict(id: id, v, in: db)
            try remember(entry)
        }
        let policies = try storage.listVersions(prefix: StorageName.policiesPrefix)
        // The same for a policy unset on another host.
        let policyDocuments = Set(policies.map(\.name.path))
        for node in try String.fetchAll(db, sql: "SELECT node FROM retention_policy")
        where !policyDocuments.contains(StorageName.policy(node: node.isEmpty ? nil : node).path) {
            try db.execute(sql: "DELETE FROM retention_policy WHERE node = ?", arguments: [node])
        }
        for entry in policies where isNew(entry) {
            guard let stored = try read(entry.name, StoredPolicy.self, kind: Self.policyKind) else { continue }
            let p = stored.policy
            try db.execute(
                sql: """
                    INSERT OR REPLACE INTO retention_policy
                        (node, keep_last, keep_hourly, keep_daily, keep_weekly, keep_monthly, keep_yearly, keep_within, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [stored.node ?? "", p.keepLast, p.keepHourly, p.keepDaily, p.keepWeekly, p.keepMonthly,
                            p.keepYearly, p.keepWithin?.description, stored.updatedAt])
            try remember(entry)
        }
        // Documents no longer listed are forgotten (a new one under the name is then new).
        let listed = Set((pins + verdicts + policies).map(\.name.path))
        for name in applied.keys where !listed.contains(name) {
            try db.execute(sql: "DELETE FROM state_document WHERE name = ?", arguments: [name])
        }
        return unreadable
    }

    /// Forgets that the pin and verdict documents of `ids` were applied: their rows were just
    /// recorded anew (or dropped), so the documents must be applied again.
    static func forgetApplied(_ ids: [Int64], in db: Database) throws {
        for id in ids {
            try db.execute(sql: "DELETE FROM state_document WHERE name IN (?, ?)",
                           arguments: [StorageName.pin(backupID: id).path, StorageName.verdict(backupID: id).path])
        }
    }
}
