import Foundation
import GRDB

/// Everything `verify` needs about one backup, read from the catalog in one snapshot.
struct VerifyInput {
    struct StoredVhost {
        var id: Int64
        var dirName: String
        var name: String?
        var dirMatchesName: Bool
    }

    struct StoredQueue {
        var id: Int64
        var storeVhostID: Int64
        var dirName: String
        var vhost: String?
        var name: String?
        var indexVersion: Int?
        /// A priority queue's level (issue 16 §1); nil for a plain queue directory.
        var priority: Int?
        var dirMatchesName: Bool
        var fileCount: Int
        var bytes: Int64
        /// Offline accounting (issue 7): nil when not counted (older backups).
        var messages: Int?
        var inSharedStore: Int?
        var queueStoreSegments: [Int64]
        var indexError: String?
    }

    struct DefinedQueue {
        var type: String
        var durable: Bool
        /// `x-max-priority` from the arguments; nil when the queue has none.
        var maxPriority: Int?
        /// The arguments name `x-queue-type` (an import then ignores the vhost's default type).
        var explicitType = false
        /// `x-ha-*` argument names (classic mirroring), sorted.
        var mirroringArguments: [String] = []
    }

    /// A policy of the definitions, with its keys split into mirroring (`ha-*`) and others.
    struct DefinedPolicy {
        var vhost: String
        var name: String
        var mirroringKeys: [String]
        var otherKeys: [String]
    }

    struct File {
        var path: String
        var size: Int64
        var object: ObjectID
        var kind: FileKind?
        var storeVhostID: Int64?
        var storeQueueID: Int64?
    }

    var backup: BackupSummary
    var definitionsObject: ObjectID?
    var definitionsSize: Int64?
    var definedVhosts: Set<String>
    /// Keyed by [vhost, name].
    var definedQueues: [[String]: DefinedQueue]
    var storedVhosts: [StoredVhost]
    var storedQueues: [StoredQueue]
    var files: [File]
    /// What the broker held just before the copy; nil when no survey was taken (issue 16 §2).
    var survey: BrokerSurvey? = nil
    /// Exchanges of the definitions, as [vhost, name].
    var definedExchanges: Set<[String]> = []
    /// The definitions' own default_queue_type per vhost (nil: unset).
    var vhostDefaultTypes: [String: String?] = [:]
    var policies: [DefinedPolicy] = []
    /// Bindings of the definitions: vhost, source exchange, destination, destination type.
    var bindings: [(vhost: String, source: String, destination: String, destinationType: String)] = []

    static func load(_ db: Database, id: Int64) throws -> VerifyInput {
        let backup = try CatalogQueries.summary(db, id: id)
        let row = try Row.fetchOne(db, sql: "SELECT definitions_sha256, definitions_size FROM backup WHERE id = ?", arguments: [id])
        let definitionsObject = (row?["definitions_sha256"] as Data?).flatMap { ObjectID(bytes: Array($0)) }
        var definedQueues: [[String]: DefinedQueue] = [:]
        for q in try Row.fetchAll(db, sql: "SELECT vhost, name, type, durable, arguments FROM def_queue WHERE backup_id = ?", arguments: [id]) {
            let keys = Self.keys(q["arguments"])
            definedQueues[[q["vhost"], q["name"]]] = DefinedQueue(type: q["type"], durable: q["durable"],
                                                                  maxPriority: Self.maxPriority(arguments: q["arguments"]),
                                                                  explicitType: keys.contains("x-queue-type"),
                                                                  mirroringArguments: keys.filter { $0.hasPrefix("x-ha-") })
        }
        let storedVhosts = try Row.fetchAll(db, sql: "SELECT * FROM store_vhost WHERE backup_id = ? ORDER BY dir_name", arguments: [id]).map {
            StoredVhost(id: $0["id"], dirName: $0["dir_name"], name: $0["vhost"], dirMatchesName: $0["dir_matches_name"])
        }
        let storedQueues = try Row.fetchAll(db, sql: """
            SELECT sq.*, qc.messages, qc.in_shared_store, qc.qs_segments, qc.error FROM store_queue sq
            LEFT JOIN queue_count qc ON qc.store_queue_id = sq.id
            WHERE sq.backup_id = ? ORDER BY sq.vhost, sq.name, sq.dir_name
            """, arguments: [id]).map {
            StoredQueue(
                id: $0["id"], storeVhostID: $0["store_vhost_id"], dirName: $0["dir_name"], vhost: $0["vhost"], name: $0["name"],
                indexVersion: $0["index_version"], priority: $0["priority"], dirMatchesName: $0["dir_matches_name"], fileCount: $0["file_count"], bytes: $0["bytes"],
                messages: $0["messages"], inSharedStore: $0["in_shared_store"],
                queueStoreSegments: (($0["qs_segments"] as String?).flatMap { try? JSONDecoder().decode([Int64].self, from: Data($0.utf8)) }) ?? [],
                indexError: $0["error"])
        }
        let files = try Row.fetchAll(db, sql: """
            SELECT path, size, sha256, kind, store_vhost_id, store_queue_id FROM manifest_file WHERE backup_id = ? ORDER BY path
            """, arguments: [id]).map {
            File(
                path: $0["path"], size: $0["size"], object: ObjectID(bytes: Array($0["sha256"] as Data))!,
                kind: FileKind(rawValue: $0["kind"]), storeVhostID: $0["store_vhost_id"], storeQueueID: $0["store_queue_id"])
        }
        var loaded = VerifyInput(
            backup: backup, definitionsObject: definitionsObject, definitionsSize: row?["definitions_size"],
            definedVhosts: Set(try String.fetchAll(db, sql: "SELECT name FROM def_vhost WHERE backup_id = ?", arguments: [id])),
            definedQueues: definedQueues, storedVhosts: storedVhosts, storedQueues: storedQueues, files: files)
        loaded.survey = try BrokerSurveyRecorder.load(backupID: id, in: db)
        for v in try Row.fetchAll(db, sql: "SELECT name, default_queue_type FROM def_vhost WHERE backup_id = ?", arguments: [id]) {
            loaded.vhostDefaultTypes[v["name"]] = v["default_queue_type"] as String?
        }
        loaded.policies = try Row.fetchAll(db, sql: "SELECT vhost, name, definition FROM def_policy WHERE backup_id = ? ORDER BY vhost, name", arguments: [id]).map {
            let keys = Self.keys($0["definition"])
            return DefinedPolicy(vhost: $0["vhost"], name: $0["name"], mirroringKeys: keys.filter(MirroringStrip.isMirroringKey),
                                 otherKeys: keys.filter { !MirroringStrip.isMirroringKey($0) })
        }
        loaded.definedExchanges = Set(try Row.fetchAll(db, sql: "SELECT vhost, name FROM def_exchange WHERE backup_id = ?", arguments: [id])
            .map { [$0["vhost"] as String, $0["name"] as String] })
        loaded.bindings = try Row.fetchAll(db, sql: """
            SELECT vhost, source, destination, destination_type FROM def_binding WHERE backup_id = ? ORDER BY vhost, source, destination
            """, arguments: [id]).map { ($0["vhost"], $0["source"], $0["destination"], $0["destination_type"]) }
        return loaded
    }

    /// The keys of a JSON object's text, sorted; empty for anything else.
    static func keys(_ text: String?) -> [String] {
        guard let text, let object = try? JSONDecoder().decode([String: JSONValue].self, from: Data(text.utf8)) else { return [] }
        return object.keys.sorted()
    }

    /// `x-max-priority` of a queue's arguments JSON; nil when absent or not an integer.
    static func maxPriority(arguments: String?) -> Int? {
        guard let arguments, let object = try? JSONDecoder().decode([String: JSONValue].self, from: Data(arguments.utf8)) else { return nil }
        switch object["x-max-priority"] {
        case let .integer(value)?: return Int(value)
        case let .number(value)?: return Int(exactly: value)
        default: return nil
        }
    }
}
