import Foundation

/// Writes a list of ``BackupSummary`` as JSON, byte for byte what ``WarrenJSON/encoder()``
/// writes (pretty-printed, keys sorted, every key present, null when unset), for `list
/// --json` and `GET /v1/backups`.
///
/// Why not JSONEncoder: a page of 20 summaries is 740 keyed `encode` calls, and each one
/// goes through existential boxes and dynamic casts; that was 40 % of the service's time per
/// request, and the reason `Tools/bench serve` stayed under its 2,000 req/s target. The
/// summary is flat (strings, integers, booleans), so writing it directly is simple;
/// BackupRowsTests and SummaryPageJSONTests hold it to JSONEncoder's bytes, escapes included.
public enum SummaryPageJSON {
    /// The JSON array of `summaries`, without a trailing newline.
    public static func encode(_ summaries: [BackupSummary]) -> Data {
        var out = Writer()
        out.bytes.reserveCapacity(summaries.count * 1100 + 8)
        if summaries.isEmpty {
            out.raw("[\n\n]")
            return Data(out.bytes)
        }
        out.raw("[\n")
        for (index, s) in summaries.enumerated() {
            out.raw(index == 0 ? "  {\n" : ",\n  {\n")
            // Sorted as JSONEncoder sorts them ("_" before letters: pin_note, pinned, pinned_at).
            out.field("added_bytes", s.addedBytes, first: true)
            out.field("added_objects", s.addedObjects)
            out.field("binding_count", s.bindingCount)
            out.field("broker_version", s.brokerVersion)
            out.field("bytes_read", s.bytesRead)
            out.field("completed_at", s.completedAt)
            out.field("consistent", s.consistent)
            out.field("created_at", s.createdAt)
            out.field("definitions_sha256", s.definitionsSha256?.hex)
            out.field("exchange_count", s.exchangeCount)
            out.field("failure", s.failure)
            out.field("file_count", s.fileCount)
            out.field("files_reused", s.filesReused)
            out.field("id", s.id)
            out.field("label", s.label)
            out.field("last_verdict", s.lastVerdict?.rawValue)
            out.field("last_verified_at", s.lastVerifiedAt)
            out.field("logical_bytes", s.logicalBytes)
            out.field("message_bytes", s.messageBytes)
            out.field("message_count", s.messageCount)
            out.field("node", s.node)
            out.field("parent_id", s.parentId)
            out.field("permission_count", s.permissionCount)
            out.field("pin_note", s.pinNote)
            out.field("pinned", s.pinned)
            out.field("pinned_at", s.pinnedAt)
            out.field("policy_count", s.policyCount)
            out.field("queue_count", s.queueCount)
            out.field("source", s.source.rawValue)
            out.field("state", s.state.rawValue)
            out.field("stored_queue_count", s.storedQueueCount)
            out.field("stored_vhost_count", s.storedVhostCount)
            out.field("taken_at", s.takenAt)
            out.field("user_count", s.userCount)
            out.field("users_with_password", s.usersWithPassword)
            out.field("vhost_count", s.vhostCount)
            out.raw("\n  }")
        }
        out.raw("\n]")
        return Data(out.bytes)
    }

    private struct Writer {
        var bytes: [UInt8] = []

        mutating func raw(_ text: StaticString) {
            text.withUTF8Buffer { bytes.append(contentsOf: $0) }
        }

        private mutating func key(_ name: StaticString, first: Bool) {
            raw(first ? "    \"" : ",\n    \"")
            raw(name)
            raw("\" : ")
        }

        mutating func field(_ name: StaticString, _ value: String?, first: Bool = false) {
            key(name, first: first)
            if let value { string(value) } else { raw("null") }
        }

        mutating func field<N: BinaryInteger>(_ name: StaticString, _ value: N?, first: Bool = false) {
            key(name, first: first)
            if let value { bytes.append(contentsOf: String(value).utf8) } else { raw("null") }
        }

        mutating func field(_ name: StaticString, _ value: Bool?, first: Bool = false) {
            key(name, first: first)
            switch value {
            case true?: raw("true")
            case false?: raw("false")
            case nil: raw("null")
            }
        }

        /// JSONEncoder's escapes: quote, backslash, the five short control escapes, other
        /// control characters as `\u00XX` (lowercase hex); `/` and non-ASCII as they are.
        private mutating func string(_ value: String) {
            bytes.append(UInt8(ascii: "\""))
            for byte in value.utf8 {
                switch byte {
                case UInt8(ascii: "\""): raw("\\\"")
                case UInt8(ascii: "\\"): raw("\\\\")
                case 0x08: raw("\\b")
                case 0x0C: raw("\\f")
                case 0x0A: raw("\\n")
                case 0x0D: raw("\\r")
                case 0x09: raw("\\t")
                case 0..<0x20:
                    raw("\\u00")
                    bytes.append(Self.hex[Int(byte >> 4)])
                    bytes.append(Self.hex[Int(byte & 0x0F)])
                default: bytes.append(byte)
                }
            }
            bytes.append(UInt8(ascii: "\""))
        }

        private static let hex = Array("0123456789abcdef".utf8)
    }
}
