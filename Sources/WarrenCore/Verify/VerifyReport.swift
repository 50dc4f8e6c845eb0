/// The result of `verify`: the verdict and every finding, errors first.
public struct VerifyReport: Sendable, Codable, Equatable {
    public var backup: Int64
    public var verdict: Verdict
    public var findings: [Finding]
    public var full: Bool
    public var targetVersion: String?
    public var verifiedAt: String
    /// Objects and bytes whose existence (and, with full, content) was checked.
    public var checkedObjects: Int
    public var checkedBytes: Int64
    /// True for a what-if run (target version or exclusions): recorded with them, but not
    /// as the backup's verdict (see ``Verifier/verify(id:options:progress:)``).
    public var whatIf: Bool

    public var errorCount: Int { findings.filter { $0.severity == .error }.count }
    public var warningCount: Int { findings.filter { $0.severity == .warning }.count }
    public var infoCount: Int { findings.filter { $0.severity == .info }.count }
}
