import Foundation
import Metrics
import Prometheus
import WarrenCore

/// `GET /v1/metrics`: job counts and durations (recorded through swift-metrics, backed by a
/// Prometheus registry of this service's own), and figures read from the catalog at scrape
/// time: last backup age and last verdict per node, backups per node, repository bytes.
public final class ServiceMetrics: Sendable {
    let registry = PrometheusCollectorRegistry()
    let factory: PrometheusMetricsFactory
    static let verdicts = ["viable", "viable_with_warnings", "not_viable", "unverified"]

    public init() {
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = [.milliseconds(10), .milliseconds(100), .seconds(1), .seconds(10), .seconds(60), .seconds(600), .seconds(3600)]
        self.factory = factory
    }

    /// Called by the job manager when a job ends.
    public func jobFinished(kind: String, state: String, seconds: Double) {
        Metrics.Timer(label: "warren_job_duration_seconds", dimensions: [("kind", kind), ("state", state)], factory: factory)
            .recordNanoseconds(Int64(max(0, seconds) * 1e9))
        Counter(label: "warren_jobs_total", dimensions: [("kind", kind), ("state", state)], factory: factory).increment()
    }

    /// The Prometheus text exposition.
    public func render(repository: Repository, jobs: JobManager) throws -> String {
        let figures = try CatalogQueries(catalog: repository.catalog).figures()
        let now = Date()
        for node in figures.nodes {
            let labels = [("node", node.node)]
            registry.makeGauge(name: "warren_backups", labels: labels, help: "Backups in the catalog, per node").set(Double(node.backups))
            if let at = node.lastBackupAt.flatMap(Timestamp.parse) {
                registry.makeGauge(name: "warren_last_backup_age_seconds", labels: labels,
                                   help: "Seconds since the node's newest complete backup was taken").set(now.timeIntervalSince(at))
                registry.makeGauge(name: "warren_last_backup_timestamp_seconds", labels: labels,
                                   help: "When the node's newest complete backup was taken (Unix time)").set(at.timeIntervalSince1970)
            }
            let verdict = node.lastVerdict ?? "unverified"
            for candidate in Self.verdicts {
                registry.makeGauge(name: "warren_last_verdict", labels: [("node", node.node), ("verdict", candidate)],
                                   help: "1 for the verdict of the node's newest complete backup").set(candidate == verdict ? 1.0 : 0.0)
            }
        }
        registry.makeGauge(name: "warren_repository_bytes", help: "Bytes of the stored (deduplicated) objects").set(Double(figures.repositoryBytes))
        registry.makeGauge(name: "warren_repository_objects", help: "Stored objects").set(Double(figures.objects))
        let all = jobs.all
        registry.makeGauge(name: "warren_jobs_running", help: "Jobs running now").set(Double(all.filter { $0.currentState == .running }.count))
        registry.makeGauge(name: "warren_jobs_waiting", help: "Jobs waiting for the repository lock").set(Double(all.filter { $0.currentState == .waiting }.count))
        return registry.emitToString()
    }
}
