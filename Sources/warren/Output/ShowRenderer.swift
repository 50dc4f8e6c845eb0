import WarrenCore

/// Text for `warren show`.
enum ShowRenderer {
    static func render(_ detail: BackupDetail) -> String {
        let b = detail.backup
        var lines: [String] = []
        func field(_ name: String, _ value: String) { lines.append(name.padding(toLength: 18, withPad: " ", startingAt: 0) + value) }
        field("backup", String(b.id) + (b.label.map { "  (\($0))" } ?? ""))
        field("node", b.node)
        field("state", b.state.rawValue + (b.failure.map { ": \($0)" } ?? ""))
        field("taken at", b.takenAt)
        field("source", b.source.rawValue + (b.consistent.map { $0 ? ", app stopped (consistent)" : ", app running (live)" } ?? ""))
        field("broker version", b.brokerVersion ?? "unknown")
        field("definitions", b.definitionsSha256?.hex ?? "-")
        field("inventory", "\(b.vhostCount) vhosts, \(b.queueCount) queues, \(b.exchangeCount) exchanges, \(b.bindingCount) bindings, \(b.policyCount) policies, \(b.userCount) users, \(b.permissionCount) permissions")
        field("msg_stores", "\(b.storedVhostCount) vhost dirs, \(b.storedQueueCount) queue dirs, \(b.fileCount) files, \(ByteCount.format(b.logicalBytes))")
        field("messages", b.messageCount.map { "\($0) persistent messages, \(ByteCount.format(b.messageBytes ?? 0)) of payload (from the index files)" } ?? "not counted (some index could not be read; see below)")
        field("last verify", b.lastVerdict.map { "\($0.rawValue) at \(b.lastVerifiedAt ?? "?")" } ?? "never (run `warren verify \(b.id)`)")
        field("pinned", b.pinned ? "yes, since \(b.pinnedAt ?? "?")" + (b.pinNote.map { ": \($0)" } ?? "") + " (prune never removes it)" : "no")
        field("added to repo", "\(ByteCount.format(b.addedBytes)) in \(b.addedObjects) new objects")
        if b.usersWithPassword > 0 {
            field("sensitive", "\(b.usersWithPassword) users with password hashes in the definitions (not shown)")
        }

        lines.append("")
        var vhosts = Table([("", .left), ("VHOST", .left), ("DEFINED", .left), ("DIR", .left), ("QUEUES", .right), ("STORED QUEUES", .right), ("FILES", .right), ("BYTES", .right)])
        for v in detail.vhosts {
            vhosts.add([
                v.problem == nil ? "" : "!!", v.name.map(quoted) ?? "(no .vhost file)", v.defined ? "yes" : "NO",
                v.dirName ?? "-", String(v.definedQueueCount), String(v.storedQueueCount), String(v.fileCount), ByteCount.format(v.bytes),
            ])
        }
        lines.append(vhosts.render())

        lines.append("")
        var queues = Table([("", .left), ("VHOST", .left), ("QUEUE", .left), ("TYPE", .left), ("DURABLE", .left), ("DATA", .left), ("INDEX", .left), ("MESSAGES", .right), ("FILES", .right), ("BYTES", .right)])
        for q in detail.queues {
            queues.add([
                q.problem == nil ? "" : "!!", q.vhost.map(quoted) ?? "?", q.name.map(quoted) ?? "(dir \(q.dirName ?? "?"))",
                q.type ?? "-", q.durable.map { $0 ? "yes" : "no" } ?? "-", q.hasData ? "yes" : "no",
                q.indexVersion.map { "v\($0)" } ?? "-", q.indexError != nil ? "ERROR" : (q.messages.map(String.init) ?? "-"),
                String(q.fileCount), ByteCount.format(q.bytes),
            ])
            // A priority queue's levels, under it, highest first (the order consumers get them).
            for level in q.priorityLevels ?? [] {
                queues.add([
                    level.dirMatchesName ? "" : "!!", "", "  priority \(level.priority)", "", "", "",
                    level.indexVersion.map { "v\($0)" } ?? "-", level.indexError != nil ? "ERROR" : (level.messages.map(String.init) ?? "-"),
                    String(level.fileCount), ByteCount.format(level.bytes),
                ])
            }
        }
        lines.append(queues.render())

        let problems = detail.queues.compactMap { q -> String? in
            guard let problem = q.problem else { return nil }
            let who = "queue \(q.name.map(quoted) ?? "?") in vhost \(q.vhost.map(quoted) ?? "?") (dir \(q.dirName ?? "?"))"
            switch problem {
            case "no_definition": return "!! \(who): stored data has NO DEFINITION; the broker deletes it at start"
            case "dir_name_mismatch": return "!! \(who): directory name does not match the name in .queue_name; the broker will not load it"
            default: return "!! \(who): no .queue_name file; the broker will not load it"
            }
        } + detail.vhosts.compactMap { v -> String? in
            guard let problem = v.problem else { return nil }
            let who = "vhost dir \(v.dirName ?? "?") (\(v.name.map(quoted) ?? "no .vhost file"))"
            switch problem {
            case "no_definition": return "!! \(who): stored data has NO VHOST DEFINITION; the broker will not load it"
            case "dir_name_mismatch": return "!! \(who): directory name does not match the name in .vhost"
            default: return "!! \(who): no .vhost file"
            }
        }
        let unreadable = detail.queues.compactMap { q -> String? in
            q.indexError.map { "!! index of queue \(q.name.map(quoted) ?? "?") in vhost \(q.vhost.map(quoted) ?? "?") cannot be read: \($0)" }
        }
        if !unreadable.isEmpty { lines.append(""); lines.append(contentsOf: unreadable) }
        if !problems.isEmpty {
            lines.append("")
            lines.append(contentsOf: problems)
        }
        return lines.joined(separator: "\n")
    }

    /// Names as data: quoted, with control characters escaped, so nothing in a name can
    /// fake a line of output.
    static func quoted(_ name: String) -> String {
        var out = ""
        for scalar in name.unicodeScalars {
            if scalar.properties.generalCategory == .control || scalar == "\"" || scalar == "\\" {
                out += scalar.escaped(asASCII: false)
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return "\"" + out + "\""
    }
}
