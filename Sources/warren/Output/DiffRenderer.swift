import WarrenCore

/// Text for `warren diff`.
enum DiffRenderer {
    static func render(_ diff: BackupDiff) -> String {
        var lines = ["diff \(diff.from) -> \(diff.to)"]
        lines.append(diff.definitionsChanged
            ? "definitions changed: \(diff.fromDefinitionsSha256?.prefix(12) ?? "-") -> \(diff.toDefinitionsSha256?.prefix(12) ?? "-")"
            : "definitions unchanged (\(diff.toDefinitionsSha256?.prefix(12) ?? "-"))")
        for (title, section) in [("vhosts", diff.vhosts), ("queues", diff.queues), ("exchanges", diff.exchanges),
                                 ("bindings", diff.bindings), ("policies", diff.policies)] where !section.isEmpty {
            lines.append("")
            lines.append(title)
            for item in section.added { lines.append("  + \(describe(item))") }
            for item in section.removed { lines.append("  - \(describe(item))") }
            for item in section.changed {
                let what = item.changes.map { "\($0.field) \($0.from) -> \($0.to)" }.joined(separator: ", ")
                lines.append("  ~ \(where_(item.vhost))\(ShowRenderer.quoted(item.name)): \(what)")
            }
        }
        let moved = diff.storedQueues.filter { $0.status != "unchanged" }
        lines.append("")
        if moved.isEmpty {
            lines.append("stored queue data: unchanged (\(diff.storedQueues.count) queue directories)")
        } else {
            var table = Table([("", .left), ("VHOST", .left), ("QUEUE", .left), ("FILES", .right), ("BYTES BEFORE", .right), ("BYTES AFTER", .right), ("MESSAGES", .right)])
            for q in moved {
                let mark = q.status == "added" ? "+" : q.status == "removed" ? "-" : "~"
                table.add([mark, q.vhost.map(ShowRenderer.quoted) ?? "?", q.name.map(ShowRenderer.quoted) ?? "?",
                           "\(q.filesBefore) -> \(q.filesAfter)", ByteCount.format(q.bytesBefore), ByteCount.format(q.bytesAfter),
                           "\(q.messagesBefore.map(String.init) ?? "-") -> \(q.messagesAfter.map(String.init) ?? "-")"])
            }
            lines.append("stored queue data")
            lines.append(table.render())
        }
        return lines.joined(separator: "\n")
    }

    private static func describe(_ item: BackupDiff.Item) -> String {
        where_(item.vhost) + ShowRenderer.quoted(item.name) + (item.type.map { " (\($0))" } ?? "")
    }

    private static func where_(_ vhost: String?) -> String {
        vhost.map { "\(ShowRenderer.quoted($0)) " } ?? ""
    }
}
