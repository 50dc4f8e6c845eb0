import WarrenCore

/// Text for `warren verify`: findings grouped by severity, then a one-line verdict.
enum VerifyRenderer {
    static func render(_ report: VerifyReport) -> String {
        var lines: [String] = []
        for severity in Finding.Severity.allCases {
            let group = report.findings.filter { $0.severity == severity }
            guard !group.isEmpty else { continue }
            lines.append("\(severity.rawValue.uppercased())S (\(group.count))")
            for finding in group {
                lines.append("  [\(finding.code.rawValue)] \(finding.message)")
                if let path = finding.path { lines.append("      path: \(path)") }
            }
            lines.append("")
        }
        let scope = report.full ? "content of \(report.checkedObjects) objects re-hashed" : "\(report.checkedObjects) objects present with their sizes"
        let target = report.targetVersion.map { ", target RabbitMQ \($0)" } ?? ""
        lines.append("backup \(report.backup): \(report.verdict.rawValue.uppercased().replacingOccurrences(of: "_", with: " ")) (\(report.errorCount) errors, \(report.warningCount) warnings; \(scope)\(target))")
        if report.whatIf {
            lines.append("(a what-if check: not recorded as the backup's verdict; run `warren verify \(report.backup)` without --target-* or --exclude-* for that)")
        }
        return lines.joined(separator: "\n")
    }
}
