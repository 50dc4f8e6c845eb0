import Foundation
import GRDB

/// `warren verify`: says, before any restore starts, whether restoring the backup would
/// bring every stored message back, and if not, which vhost, queue or file is the problem.
public struct Verifier: Sendable {
    public let repository: Repository

    public init(repository: Repository) {
        self.repository = repository
    }

    /// The checks `verify` makes before it reads anything, for a face to call first: the
    /// target version, the backup exists, every exclusion matches something in it.
    /// - Returns: the `exclusion_unmatched` findings of allowed unmatched exclusions.
    @discardableResult
    public func validate(id: Int64, options: VerifyOptions) throws -> [Finding] {
        if let target = options.targetVersion, BrokerVersion(target) == nil {
            throw WarrenError.invalidArgument(name: "target_version", reason: "'\(target)' is not a version such as 3.13.7")
        }
        _ = try CatalogQueries(catalog: repository.catalog).summary(id: id)
        return try ExclusionCheck.check(options.exclusions, backup: id, catalog: repository.catalog)
    }

    /// Runs every check, records the run in the catalog, and returns the report.
    ///
    /// Only a plain check (no target version, no exclusions) becomes the backup's verdict
    /// (`last_verdict`: what `list`, `show`, the `warren_last_verdict` metric and prune's
    /// "newest viable" rule use). A what-if run (`--target-version`, `--target-node`,
    /// `--exclude-*`, and the check a restore makes) is recorded in `verification` with its
    /// target and exclusions, and never replaces that verdict.
    public func verify(id: Int64, options: VerifyOptions = VerifyOptions(), progress: ProgressHandler? = nil) throws -> VerifyReport {
        // Refused before anything is read or recorded: a misspelt exclusion is an error.
        let unmatched = try validate(id: id, options: options)
        let exclusions = options.exclusions
        let input = try CatalogAccess.read(repository.catalog) { try VerifyInput.load($0, id: id) }
        var findings: [Finding] = []
        if input.backup.state != .complete {
            findings.append(Finding(.backupIncomplete, "backup \(id) is \(input.backup.state.rawValue), not complete\(input.backup.failure.map { ": \($0)" } ?? ""); it cannot be restored"))
        }
        findings += ManifestPathCheck.findings(input)
        if input.backup.state == .complete { findings += try ManifestDocumentCheck(repository: repository).findings(id: id) }
        findings += checkDefinitions(input)
        let layout = LayoutChecker(input: input, exclusions: exclusions, targetVersion: options.targetVersion.flatMap(BrokerVersion.init))
        findings += layout.check()
        findings += LossChecker(input: input, exclusions: exclusions).check()
        let integrity = IntegrityChecker(objects: repository.objects, input: input, included: layout.includedFiles())
        findings += try integrity.check(full: options.full, progress: progress)
        findings += checkTarget(input, options.targetVersion)
        findings += TargetChecker(input: input, exclusions: exclusions, targetVersion: options.targetVersion.flatMap(BrokerVersion.init),
                                  targetVhosts: options.targetVhosts).check()
        findings += unmatched

        let ordered = findings.enumerated().sorted { ($0.element.severity, $0.offset) < ($1.element.severity, $1.offset) }.map(\.element)
        let report = VerifyReport(
            backup: id, verdict: Verdict(findings: ordered), findings: ordered, full: options.full,
            targetVersion: options.targetVersion, verifiedAt: Timestamp.format(Date()),
            checkedObjects: integrity.objectCount, checkedBytes: integrity.byteCount,
            whatIf: options.isWhatIf)
        // A group member may only read the repository: the verdict is reported, not recorded.
        if !repository.catalog.isReadOnly { try record(report, exclusions: exclusions) }
        return report
    }

    private func checkDefinitions(_ input: VerifyInput) -> [Finding] {
        guard let object = input.definitionsObject else {
            return input.backup.state == .complete ? [Finding(.definitionsMissing, "the catalog records no definitions for this backup")] : []
        }
        let path = repository.objects.describe(object)
        let bytes: [UInt8]
        do {
            bytes = try repository.objects.readAll(object, limit: Registrar.definitionsLimit)
        } catch let WarrenError.crypto(error) {
            return [Finding(.definitionsCorrupt, path: path, "the stored definitions object cannot be used: \(error.description)")]
        } catch {
            return [Finding(.definitionsMissing, path: path, "the stored definitions object is missing or unreadable (\(error)); restore it from another copy of the repository")]
        }
        let actual = bytes.withUnsafeBytes { ObjectStore.digest($0) }
        guard actual == object else {
            return [Finding(.definitionsCorrupt, path: path, "the stored definitions object does not match its checksum (SHA-256 \(actual.short)…, recorded \(object.short)…): it is corrupt")]
        }
        do {
            _ = try DefinitionsParser.parse(bytes, path: path)
        } catch {
            return [Finding(.definitionsUnparseable, path: path, "the stored definitions cannot be used: \(error)")]
        }
        return []
    }

    private func checkTarget(_ input: VerifyInput, _ target: String?) -> [Finding] {
        guard let target, let targetVersion = BrokerVersion(target) else { return [] }
        guard let sourceText = input.backup.brokerVersion, let source = BrokerVersion(sourceText) else {
            return [Finding(.targetVersionUnknown, "the definitions do not say which broker version wrote this backup; cannot compare with target \(target)")]
        }
        if targetVersion < source {
            return [Finding(.targetOlder, "the target runs RabbitMQ \(target), older than \(sourceText) that wrote this backup; restoring onto an older broker is not supported. Upgrade the target to \(sourceText) or later")]
        }
        return []
    }

    private func record(_ report: VerifyReport, exclusions: Exclusions) throws {
        let exclusionsJSON = JSONValue.object([
            "queues": .array(exclusions.queueGlobs.map(JSONValue.string)),
            "vhosts": .array(exclusions.vhosts.map(JSONValue.string)),
        ]).canonicalJSON
        if !report.whatIf {
            // The repository first (issue 17 §2): a rebuilt catalog keeps the verdict.
            try RepositoryStateStore(storage: repository.storage).putVerdict(
                .init(verdict: report.verdict, verifiedAt: report.verifiedAt), backupID: report.backup)
        }
        try repository.catalog.recordVerification(report, exclusionsJSON: exclusionsJSON)
    }
}
