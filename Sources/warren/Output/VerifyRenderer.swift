import WarrenCore

/// Text for `warren verify`: findings grouped by severity, then the verdict; wrapped to
/// `width` columns (nil: `--wide`, one line per finding).
enum VerifyRenderer {
    static func render(_ report: VerifyReport, width: Int? = Table.defaultWidth) -> String {
        func wrapped(_ text: String, indent: String) -> [String] {
            width.map { TextWrap.wrap(text, width: $0, indent: indent) } ?? [text]
        }
        var lines: [String] = []
        for severity in Finding.Severity.allCases {
            let group = report.findings.filter { $0.severity == severity }
            guard !group.isEmpty else { continue }
            lines.append("\(severity.rawValue.uppercased())S (\(group.count))")
            for finding in group {
                lines += wrapped("  [\(finding.code.rawValue)] \(finding.message)", indent: "      ")
                if let path = finding.path { lines.append("      path: \(path)") }
            }
            lines.append("")
        }
        let scope = report.full ? "content of \(report.checkedObjects) objects re-hashed" : "\(report.checkedObjects) objects present with their sizes"
        let target = report.targetVersion.map { ", target RabbitMQ \($0)" } ?? ""
        lines += wrapped("backup \(report.backup): \(report.verdict.rawValue.uppercased().replacingOccurrences(of: "_", with: " ")) (\(report.errorCount) errors, \(report.warningCount) warnings; \(scope)\(target))", indent: "  ")
        if report.whatIf {
            lines += wrapped("(a what-if check: not recorded as the backup's verdict; run `warren verify \(report.backup)` without --target-* or --exclude-* for that)", indent: " ")
        }
        return lines.joined(separator: "\n")
    }
}
