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

    /// Writes every document into the catalog being rebuilt or synchronised (only for
    /// backups it holds), and clears the pins and policies whose documents are gone.
    /// Returns what was unreadable, by location.
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
        let pinNames = try storage.list(prefix: StorageName.pinsPrefix)
        for name in pinNames {
            guard let id = name.backupID, let pin = try read(name, Pin.self, kind: Self.pinKind) else { continue }
            _ = try BackupRows.setPin(id: id, pin, in: db)
        }
        // A pin whose document is gone (unpinned on another host) is cleared; one whose
        // document is there but unreadable stays as it was. Nothing to clear in a new catalog.
        let pinned = Set(pinNames.compactMap(\.backupID))
        for id in try Int64.fetchAll(db, sql: "SELECT id FROM backup WHERE pinned = 1") where !pinned.contains(id) {
            try BackupRows.clearPin(id: id, in: db)
        }
        for name in try storage.list(prefix: StorageName.verdictsPrefix) {
            guard let id = name.backupID, let v = try read(name, LastVerdict.self, kind: Self.verdictKind) else { continue }
            try BackupRows.setLastVerdict(id: id, v, in: db)
        }
        let policyNames = try storage.list(prefix: StorageName.policiesPrefix)
        // The same for a policy unset on another host.
        let policyDocuments = Set(policyNames.map(\.path))
        for node in try String.fetchAll(db, sql: "SELECT node FROM retention_policy")
        where !policyDocuments.contains(StorageName.policy(node: node.isEmpty ? nil : node).path) {
            try db.execute(sql: "DELETE FROM retention_policy WHERE node = ?", arguments: [node])
        }
        for name in policyNames {
            guard let stored = try read(name, StoredPolicy.self, kind: Self.policyKind) else { continue }
            let p = stored.policy
            try db.execute(
                sql: """
                    INSERT OR REPLACE INTO retention_policy
                        (node, keep_last, keep_hourly, keep_daily, keep_weekly, keep_monthly, keep_yearly, keep_within, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [stored.node ?? "", p.keepLast, p.keepHourly, p.keepDaily, p.keepWeekly, p.keepMonthly,
                            p.keepYearly, p.keepWithin?.description, stored.updatedAt])
        }
        return unreadable
    }
}
