import Foundation
import NIOConcurrencyHelpers
import Prometheus
import WarrenCore

/// `GET /v1/metrics`: job counts, failures and durations (a Prometheus registry of this
/// service's own, every family with its help text so that `promtool check metrics` passes
/// at any moment), and figures read from the catalog at scrape time: last backup age and
/// last verdict per node, backups per node, repository bytes. A node that a schedule or a
/// job names but that has no complete backup still gets an age series (from the Unix epoch),
/// so that an age alert fires for it.
public final class ServiceMetrics: Sendable {
    let registry = PrometheusCollectorRegistry()
    static let verdicts = ["viable", "viable_with_warnings", "not_viable", "unverified"]
    static let buckets: [Duration] = [.milliseconds(10), .milliseconds(100), .seconds(1), .seconds(10), .seconds(60), .seconds(600), .seconds(3600)]

    public init() {}

    /// A metric's full name and help text (every family has one: promtool insists).
    static func name(_ name: String, help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(metricName: name, unitName: "", helpText: help)
    }

    /// Called by the job manager when a job ends.
    func jobFinished(kind: JobKind, state: JobState, node: String?, seconds: Double) {
        let labels = [("kind", kind.rawValue), ("state", state.rawValue)]
        registry.makeDurationHistogram(
            descriptor: .init(metricName: "warren_job_duration", unitName: "seconds", helpText: "How long finished jobs ran, per kind and outcome"),
            labels: labels, buckets: Self.buckets
        ).recordNanoseconds(Int64(max(0, seconds) * 1e9))
        registry.makeCounter(descriptor: Self.name("warren_jobs_total", help: "Finished jobs, per kind and outcome"), labels: labels).increment()
        if state == .failed {
            registry.makeCounter(descriptor: Self.name("warren_job_failures_total", help: "Failed jobs, per kind and node (empty node: a job not about one node, such as prune)"), labels: [("kind", kind.rawValue), ("node", node ?? "")]).increment()
        }
        if let node { knownNodes.withLockedValue { _ = $0.insert(node) } }
    }

    /// Nodes that jobs were about, for the age series of nodes without a backup.
    private let knownNodes = NIOLockedValueBox(Set<String>())

    /// The Prometheus text exposition.
    public func render(repository: Repository, jobs: JobManager) throws -> String {
        let figures = try CatalogQueries(catalog: repository.catalog).figures()
        let now = Date()
        var expected = knownNodes.withLockedValue { $0 }
        expected.formUnion(try ScheduleStore(catalog: repository.catalog).list().map(\.node))
        for node in figures.nodes {
            expected.remove(node.node)
            let labels = [("node", node.node)]
            registry.makeGauge(descriptor: Self.name("warren_backups", help: "Backups in the catalog, per node"), labels: labels).set(Double(node.backups))
            setAge(node: node.node, at: node.lastBackupAt.flatMap(Timestamp.parse) ?? Date(timeIntervalSince1970: 0), now: now)
            let verdict = node.lastVerdict?.rawValue ?? "unverified"
            for candidate in Self.verdicts {
                registry.makeGauge(descriptor: Self.name("warren_last_verdict", help: "1 for the verdict of the node's newest complete backup"), labels: [("node", node.node), ("verdict", candidate)]).set(candidate == verdict ? 1.0 : 0.0)
            }
        }
        for node in expected {
            registry.makeGauge(descriptor: Self.name("warren_backups", help: "Backups in the catalog, per node"), labels: [("node", node)]).set(0.0)
            setAge(node: node, at: Date(timeIntervalSince1970: 0), now: now)
        }
        registry.makeGauge(descriptor: Self.name("warren_repository_bytes", help: "Bytes of the stored (deduplicated) objects")).set(Double(figures.repositoryBytes))
        registry.makeGauge(descriptor: Self.name("warren_repository_objects", help: "Stored objects")).set(Double(figures.objects))
        let all = jobs.all
        registry.makeGauge(descriptor: Self.name("warren_jobs_running", help: "Jobs running now")).set(Double(all.filter { $0.currentState == .running }.count))
        registry.makeGauge(descriptor: Self.name("warren_jobs_waiting", help: "Jobs waiting for the repository lock")).set(Double(all.filter { $0.currentState == .waiting }.count))
        return registry.emitToString()
    }

    /// Age and time of the node's newest complete backup; the epoch when it has none.
    private func setAge(node: String, at: Date, now: Date) {
        registry.makeGauge(descriptor: Self.name("warren_last_backup_age_seconds", help: "Seconds since the node's newest complete backup was taken (since the Unix epoch when it has none)"), labels: [("node", node)])
            .set(now.timeIntervalSince(at))
        registry.makeGauge(descriptor: Self.name("warren_last_backup_timestamp_seconds", help: "When the node's newest complete backup was taken (Unix time; 0 when it has none)"), labels: [("node", node)])
            .set(at.timeIntervalSince1970)
    }
}
