import Foundation
import GRDB

/// One backup as `list` shows it: a row of the catalog's `backup` table (``init(row:)``),
/// and the same value read back from the API's JSON (Codable). Encoded with ``WarrenJSON/encoder()``: snake_case keys, every key
/// present, null when unset.
public struct BackupSummary: Sendable, Codable, Equatable, FetchableRecord {
    public var id: Int64
    public var node: String
    public var label: String?
    public var state: BackupState
    public var failure: String?
    public var takenAt: String
    public var createdAt: String
    public var completedAt: String?
    public var source: BackupSource
    /// True when copied from a stopped app, false from a running one, nil when unknown.
    public var consistent: Bool?
    public var brokerVersion: String?
    /// The definitions object; a BLOB in the catalog, hex in JSON.
    public var definitionsSha256: ObjectID?
    public var vhostCount: Int
    public var queueCount: Int
    public var exchangeCount: Int
    public var bindingCount: Int
    public var policyCount: Int
    public var userCount: Int
    public var usersWithPassword: Int
    public var permissionCount: Int
    public var storedVhostCount: Int
    public var storedQueueCount: Int
    public var fileCount: Int
    /// Sum of the sizes of the backup's files.
    public var logicalBytes: Int64
    /// Objects and bytes this backup added to the repository (the rest was deduplicated).
    public var addedObjects: Int
    public var addedBytes: Int64
    /// The node's previous backup whose unchanged files were reused (`warren backup`), the
    /// bytes actually read, and how many files were taken from the parent without reading.
    public var parentId: Int64?
    public var bytesRead: Int64?
    public var filesReused: Int?
    /// Total persistent messages in the backup's classic queues, and their payload bytes, read
    /// from the index files; nil when some queue's index could not be read.
    public var messageCount: Int?
    public var messageBytes: Int64?
    /// The verdict of the latest `verify`, and when; nil if never verified.
    public var lastVerdict: Verdict?
    public var lastVerifiedAt: String?
    /// Pinned backups are never pruned (`warren pin`); the note and time of the pin.
    public var pinned: Bool
    public var pinNote: String?
    public var pinnedAt: String?

    /// The row read column by column, not by GRDB's Codable row decoder: that decoder (with
    /// its snake_case key conversion) cost about 2 ms per 20-row page of `GET /v1/backups`
    /// (Tools/bench serve fell from ~1,950 to 582 req/s). Columns the summary does not show
    /// (`source_path`, `definitions_size`, …) are left out; an unreadable definitions id reads
    /// as nil; a bad state, source or count throws ``WarrenError/catalog(detail:)``.
    public init(row: Row) throws {
        // One pass over the row, then plain dictionary lookups: GRDB's by-name access
        // (a case-insensitive lookup, then a generic conversion) was a fifth of a request.
        var values: [String: DatabaseValue] = [:]
        values.reserveCapacity(row.count)
        for (name, value) in row where values[name] == nil { values[name] = value }
        func raw(_ column: String) -> DatabaseValue { values[column] ?? .null }
        func value<T: DatabaseValueConvertible>(_ column: String, as: T.Type = T.self) throws -> T {
            guard let decoded = T.fromDatabaseValue(raw(column)) else {
                throw WarrenError.catalog(detail: "backup row \(raw("id")): column \(column) holds \(raw(column)), not a \(T.self)")
            }
            return decoded
        }
        func optional<T: DatabaseValueConvertible>(_ column: String, as: T.Type = T.self) throws -> T? {
            raw(column).isNull ? nil : try value(column, as: T.self)
        }
        id = try value("id")
        node = try value("node")
        label = try optional("label")
        state = try value("state")
        failure = try optional("failure")
        takenAt = try value("taken_at")
        createdAt = try value("created_at")
        completedAt = try optional("completed_at")
        source = try value("source")
        consistent = try optional("consistent")
        brokerVersion = try optional("broker_version")
        definitionsSha256 = ObjectID.fromDatabaseValue(raw("definitions_sha256"))
        vhostCount = try value("vhost_count")
        queueCount = try value("queue_count")
        exchangeCount = try value("exchange_count")
        bindingCount = try value("binding_count")
        policyCount = try value("policy_count")
        userCount = try value("user_count")
        usersWithPassword = try value("users_with_password")
        permissionCount = try value("permission_count")
        storedVhostCount = try value("stored_vhost_count")
        storedQueueCount = try value("stored_queue_count")
        fileCount = try value("file_count")
        logicalBytes = try value("logical_bytes")
        addedObjects = try value("added_objects")
        addedBytes = try value("added_bytes")
        parentId = try optional("parent_id")
        bytesRead = try optional("bytes_read")
        filesReused = try optional("files_reused")
        messageCount = try optional("message_count")
        messageBytes = try optional("message_bytes")
        lastVerdict = try optional("last_verdict")
        lastVerifiedAt = try optional("last_verified_at")
        pinned = try optional("pinned") ?? false
        pinNote = try optional("pin_note")
        pinnedAt = try optional("pinned_at")
    }

    /// Every key, null when unset (one rule for every answer, CLI and API alike). A list of
    /// summaries is written by ``SummaryPageJSON`` instead, to the same bytes.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: JSONKeys.self)
        try c.encode(addedBytes, forKey: .addedBytes)
        try c.encode(addedObjects, forKey: .addedObjects)
        try c.encode(bindingCount, forKey: .bindingCount)
        try c.encode(brokerVersion, forKey: .brokerVersion)
        try c.encode(bytesRead, forKey: .bytesRead)
        try c.encode(completedAt, forKey: .completedAt)
        try c.encode(consistent, forKey: .consistent)
        try c.encode(createdAt, forKey: .createdAt)
        try c.encode(definitionsSha256, forKey: .definitionsSha256)
        try c.encode(exchangeCount, forKey: .exchangeCount)
        try c.encode(failure, forKey: .failure)
        try c.encode(fileCount, forKey: .fileCount)
        try c.encode(filesReused, forKey: .filesReused)
        try c.encode(id, forKey: .id)
        try c.encode(label, forKey: .label)
        try c.encode(lastVerdict, forKey: .lastVerdict)
        try c.encode(lastVerifiedAt, forKey: .lastVerifiedAt)
        try c.encode(logicalBytes, forKey: .logicalBytes)
        try c.encode(messageBytes, forKey: .messageBytes)
        try c.encode(messageCount, forKey: .messageCount)
        try c.encode(node, forKey: .node)
        try c.encode(parentId, forKey: .parentId)
        try c.encode(permissionCount, forKey: .permissionCount)
        try c.encode(pinNote, forKey: .pinNote)
        try c.encode(pinned, forKey: .pinned)
        try c.encode(pinnedAt, forKey: .pinnedAt)
        try c.encode(policyCount, forKey: .policyCount)
        try c.encode(queueCount, forKey: .queueCount)
        try c.encode(source, forKey: .source)
        try c.encode(state, forKey: .state)
        try c.encode(storedQueueCount, forKey: .storedQueueCount)
        try c.encode(storedVhostCount, forKey: .storedVhostCount)
        try c.encode(takenAt, forKey: .takenAt)
        try c.encode(userCount, forKey: .userCount)
        try c.encode(usersWithPassword, forKey: .usersWithPassword)
        try c.encode(vhostCount, forKey: .vhostCount)
    }

    /// The JSON keys, as `.convertToSnakeCase` makes them, so that a coder that converts
    /// keys (``WarrenJSON``) leaves them as they are and one that does not writes the same.
    /// Decoding goes by ``CodingKeys`` through the converting decoder.
    enum JSONKeys: String, CodingKey {
        case id
        case node
        case label
        case state
        case failure
        case takenAt = "taken_at"
        case createdAt = "created_at"
        case completedAt = "completed_at"
        case source
        case consistent
        case brokerVersion = "broker_version"
        case definitionsSha256 = "definitions_sha256"
        case vhostCount = "vhost_count"
        case queueCount = "queue_count"
        case exchangeCount = "exchange_count"
        case bindingCount = "binding_count"
        case policyCount = "policy_count"
        case userCount = "user_count"
        case usersWithPassword = "users_with_password"
        case permissionCount = "permission_count"
        case storedVhostCount = "stored_vhost_count"
        case storedQueueCount = "stored_queue_count"
        case fileCount = "file_count"
        case logicalBytes = "logical_bytes"
        case addedObjects = "added_objects"
        case addedBytes = "added_bytes"
        case parentId = "parent_id"
        case bytesRead = "bytes_read"
        case filesReused = "files_reused"
        case messageCount = "message_count"
        case messageBytes = "message_bytes"
        case lastVerdict = "last_verdict"
        case lastVerifiedAt = "last_verified_at"
        case pinned
        case pinNote = "pin_note"
        case pinnedAt = "pinned_at"
    }
}
