/// `verify --json` (and a verify job's result): `{"backup", "verdict", "findings": [...]}`
/// plus what was checked.
public struct VerifyOutput: Encodable, Sendable {
    public var backup: Int64
    public var verdict: Verdict
    public var findings: [Finding]
    public var full: Bool
    public var targetVersion: String?
    public var verifiedAt: String
    public var checkedObjects: Int
    public var checkedBytes: Int64
    /// A what-if run: its verdict is not the backup's `last_verdict`.
    public var whatIf: Bool

    public init(_ report: VerifyReport) {
        backup = report.backup
        verdict = report.verdict
        findings = report.findings
        full = report.full
        targetVersion = report.targetVersion
        verifiedAt = report.verifiedAt
        checkedObjects = report.checkedObjects
        checkedBytes = report.checkedBytes
        whatIf = report.whatIf
    }

    enum CodingKeys: String, CodingKey { case backup, verdict, findings, full, targetVersion, verifiedAt, checkedObjects, checkedBytes, whatIf }

    /// Every key, null when unset (one rule for every answer, CLI and API alike).
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(backup, forKey: .backup)
        try c.encode(verdict, forKey: .verdict)
        try c.encode(findings, forKey: .findings)
        try c.encode(full, forKey: .full)
        try c.encode(targetVersion, forKey: .targetVersion)
        try c.encode(verifiedAt, forKey: .verifiedAt)
        try c.encode(checkedObjects, forKey: .checkedObjects)
        try c.encode(checkedBytes, forKey: .checkedBytes)
        try c.encode(whatIf, forKey: .whatIf)
    }
}
