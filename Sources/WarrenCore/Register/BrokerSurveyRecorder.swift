import Foundation
import GRDB

/// Writes a ``BrokerSurvey`` into the catalog (`broker_queue`, `broker_exchange`, migration 0008)
/// and reads it back.
enum BrokerSurveyRecorder {
    /// Called by ``ManifestRecorder`` from the manifest, so a rebuilt catalog has the same rows;
    /// `at` is the backup's completion time (what a rebuild can know).
    static func record(_ survey: BrokerSurvey, backupID: Int64, at surveyedAt: String, in db: Database) throws {
        try BackupRows.setBrokerSurveyed(id: backupID, at: surveyedAt, in: db)
        let queue = try db.makeStatement(sql: """
            INSERT OR REPLACE INTO broker_queue (backup_id, vhost, name, type, durable, exclusive, auto_delete, messages, messages_persistent)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        for q in survey.queues {
            try queue.execute(arguments: [backupID, q.vhost, q.name, q.type, q.durable, q.exclusive, q.autoDelete, q.messages, q.messagesPersistent])
        }
        let exchange = try db.makeStatement(sql: """
            INSERT OR REPLACE INTO broker_exchange (backup_id, vhost, name, type, durable, internal) VALUES (?, ?, ?, ?, ?, ?)
            """)
        for e in survey.exchanges {
            try exchange.execute(arguments: [backupID, e.vhost, e.name, e.type, e.durable, e.internal])
        }
    }

    /// The survey recorded for a backup; nil when none was taken (registered or older backups).
    static func load(backupID: Int64, in db: Database) throws -> BrokerSurvey? {
        guard try String.fetchOne(db, sql: "SELECT broker_surveyed_at FROM backup WHERE id = ?", arguments: [backupID]) != nil else { return nil }
        let queues = try Row.fetchAll(db, sql: "SELECT * FROM broker_queue WHERE backup_id = ? ORDER BY vhost, name", arguments: [backupID]).map {
            BrokerSurvey.Queue(vhost: $0["vhost"], name: $0["name"], type: $0["type"] ?? "classic", durable: $0["durable"], exclusive: $0["exclusive"],
                               autoDelete: $0["auto_delete"], messages: $0["messages"], messagesPersistent: $0["messages_persistent"])
        }
        let exchanges = try Row.fetchAll(db, sql: "SELECT * FROM broker_exchange WHERE backup_id = ? ORDER BY vhost, name", arguments: [backupID]).map {
            BrokerSurvey.Exchange(vhost: $0["vhost"], name: $0["name"], type: $0["type"], durable: $0["durable"], internal: $0["internal"])
        }
        return BrokerSurvey(queues: queues, exchanges: exchanges)
    }
}
