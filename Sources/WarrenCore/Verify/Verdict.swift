/// Whether a restore of the backup would bring every stored message back.
public enum Verdict: String, Sendable, Codable {
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
