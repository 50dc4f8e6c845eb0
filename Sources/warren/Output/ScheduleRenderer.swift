import WarrenCore

/// `schedule list`'s text: a table of the schedules (next run, last outcome), then each
/// schedule's latest runs, within 80 columns.
enum ScheduleRenderer {
    static func render(_ schedules: [Schedule]) -> String {
        guard !schedules.isEmpty else {
            return "no schedules (add one with `warren schedule add --node NAME --at 02:30` or `--every 1d`)"
        }
        var table = Table([("ID", .right), ("NODE", .left), ("WHEN", .left), ("NEXT RUN", .left), ("RUNS", .right), ("LAST", .left)])
        for s in schedules {
            var when = s.at ?? s.everySeconds.map { "every \(duration($0))" } ?? "-"
            if s.jitterSeconds > 0 { when += " ~\(duration(s.jitterSeconds))" }
            table.add([String(s.id), s.node, when, s.nextRunAt, String(s.runCount), s.lastOutcome?.rawValue ?? "never"])
        }
        var lines = [table.render(maxWidth: Table.defaultWidth, shrinking: 1)]
        let declared = schedules.compactMap { s in s.origin.map { "schedule \(s.id): declared in \($0)" } }
        if !declared.isEmpty {
            lines.append("")
            lines.append(contentsOf: declared)
        }
        for s in schedules where !s.runs.isEmpty {
            lines.append("")
            lines.append("schedule \(s.id), latest runs:")
            for run in s.runs {
                var line = "  \(run.startedAt)  \(run.outcome.rawValue)"
                if let id = run.backupId { line += "  backup \(id)" }
                if let verdict = run.verdict { line += " \(verdict.rawValue)" }
                if let removed = run.removed { line += ", \(removed) pruned" }
                if let error = run.error { line += ": " + String(error.prefix(max(10, Table.defaultWidth - line.count - 2))) }
                lines.append(line)
            }
        }
        return lines.joined(separator: "\n")
    }

    /// 90 → `1m30s`, 86400 → `1d`.
    static func duration(_ seconds: Int64) -> String {
        var rest = seconds, text = ""
        for (unit, size) in [("d", Int64(86400)), ("h", 3600), ("m", 60), ("s", 1)] where rest >= size {
            text += "\(rest / size)\(unit)"
            rest %= size
        }
        return text.isEmpty ? "0s" : text
    }
}
