import WarrenCore

/// Text for `warren restore`: the plan (all of it under --dry-run), then the post-check table.
enum RestoreRenderer {
    static func render(_ result: RestoreResult) -> String {
        let plan = result.plan
        var lines: [String] = []
        lines.append("\(result.dryRun ? "plan for" : "restored") backup \(plan.backup) into \(plan.node) (RabbitMQ \(plan.targetVersion), \(plan.nodeDirectory))")
        lines.append("verdict: \(plan.verdict.rawValue)")
        if let change = plan.nodeNameChange { lines.append("node name: \(change.message)") }
        for finding in plan.findings where finding.severity != .info || finding.code == .queueExcluded || finding.code == .vhostExcluded {
            lines.append("  \(finding.severity.rawValue): [\(finding.code.rawValue)] \(finding.message)")
        }
        let d = plan.definitions
        lines.append("definitions to import: \(d.vhosts) vhosts, \(d.queues) queues, \(d.exchanges) exchanges, \(d.bindings) bindings, \(d.policies) policies, \(d.users) users")
        lines.append("data to write: \(plan.files) files, \(ByteCount.format(plan.bytes))")
        var table = Table([("VHOST", .left), ("QUEUE", .left), ("FILES", .right), ("BYTES", .right), ("EXPECTED", .right), ("TARGET", .left)])
        for vhost in plan.vhosts {
            let vname = vhost.name.map(ShowRenderer.quoted) ?? vhost.dirName
            let target = vhost.targetState + (vhost.targetMessages > 0 ? " (\(vhost.targetMessages) msgs)" : "") + (vhost.cleanStopFilesDropped ? ", rescan" : "")
            table.add([vname, "(vhost store)", String(vhost.files), ByteCount.format(vhost.bytes), "", target])
            for q in vhost.queues {
                table.add([vname, q.name.map(ShowRenderer.quoted) ?? "?", String(q.files), ByteCount.format(q.bytes), q.expectedMessages.map(String.init) ?? "?", ""])
            }
        }
        lines.append(table.render())
        for q in plan.excluded {
            lines.append("excluded: \(q.vhost.map(ShowRenderer.quoted) ?? "?") \(q.name.map(ShowRenderer.quoted) ?? "?") (\(q.files) files, \(ByteCount.format(q.bytes))): \(q.reason); comes back empty")
        }
        if !plan.occupiedVhosts.isEmpty {
            lines.append("target vhosts holding messages: \(plan.occupiedVhosts.joined(separator: ", "))" + (plan.asideDirectory.map { "; their data moves to \($0)" } ?? "; the restore will refuse without --replace-vhost-data"))
        }
        if result.dryRun {
            lines.append("dry run: nothing was changed")
            return lines.joined(separator: "\n")
        }
        for repair in result.definitionsRepairs { lines.append("definitions changed before the import: \(repair)") }
        lines.append("wrote \(result.filesWritten) files, \(ByteCount.format(result.bytesWritten))")
        for path in result.movedAside { lines.append("moved aside (kept): \(path)") }
        lines.append("")
        var check = Table([("VHOST", .left), ("QUEUE", .left), ("EXPECTED", .right), ("RESTORED", .right), ("STATUS", .left)])
        for q in result.queues {
            check.add([ShowRenderer.quoted(q.vhost), ShowRenderer.quoted(q.queue), q.expected.map(String.init) ?? "-",
                       q.restored.map(String.init) ?? "-", q.status == "short" || q.status == "missing" ? q.status.uppercased() : q.status])
        }
        lines.append(check.render())
        lines.append(result.outcome == "succeeded" ? "restore complete: every queue has its expected count" : "restore INCOMPLETE: some queues came back with fewer messages than expected")
        return lines.joined(separator: "\n")
    }

    static func render(_ rollback: RestoreRollback) -> String {
        var lines = ["rolled back the interrupted restore of backup \(rollback.backup) into \(rollback.node); the broker app is running"]
        for path in rollback.restored { lines.append("put back: \(path)") }
        for path in rollback.setAside { lines.append("written by the interrupted restore, moved aside (kept): \(path)") }
        lines.append("definitions it imported stay on the node")
        return lines.joined(separator: "\n")
    }
}
