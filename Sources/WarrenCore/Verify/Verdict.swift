import GRDB

/// Whether a restore of the backup would bring every stored message back; the values of
/// `verification.verdict` (CHECK-constrained to these) and of `backup.last_verdict`, which
/// only ever copies one of them.
public enum Verdict: String, Sendable, Codable, CaseIterable, DatabaseValueConvertible {
    case viable
    case viableWithWarnings = "viable_with_warnings"
    case notViable = "not_viable"

    init(findings: [Finding]) {
        if findings.contains(where: { $0.severity == .error }) {
            self = .notViable
        } else if findings.contains(where: { $0.severity == .warning }) {
            self = .viableWithWarnings
        } else {
            self = .viable
        }
    }
}
