import Foundation
import Logging
import ServiceLifecycle
import WarrenCore

/// Keeps a long-running service's catalog cache of an S3 repository current: every
/// `interval` seconds it reads what other hosts changed in the bucket (new backups, deleted
/// ones, pins, policies) through ``Repository/synchroniseWithBucket()``, so that `GET
/// /v1/backups` and the scheduler's prunes see the fleet, not only this host. A failed sync
/// (the bucket unreachable) is logged and tried again at the next interval; the service
/// keeps answering from the cache meanwhile.
public struct BucketSync: Service {
    let repository: Repository
    let logger: Logger
    let interval: Double

    public init(repository: Repository, logger: Logger, interval: Double) {
        self.repository = repository
        self.logger = logger
        self.interval = interval
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                try? await Task.sleep(nanoseconds: UInt64(self.interval * 1e9))
                guard !Task.isCancelled else { return }
                await self.synchroniseOnce()
            }
        }
    }

    /// One synchronisation, off the cooperative pool (it blocks on the bucket's answers).
    func synchroniseOnce() async {
        let repository = self.repository
        let outcome: Result<CatalogRebuilder.SyncReport?, any Error> = await withCheckedContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(returning: Result { try repository.synchroniseWithBucket() })
            }
        }
        switch outcome {
        case .success(let report?):
            if !report.added.isEmpty || !report.dropped.isEmpty {
                logger.info("catalog cache synchronised with the bucket", metadata: [
                    "added": "\(report.added)", "dropped": "\(report.dropped)"])
            }
            for damage in report.unreadable {
                logger.warning("unreadable document in the bucket", metadata: ["reason": "\(damage)"])
            }
        case .success(nil):
            break
        case .failure(let error):
            logger.warning("could not synchronise the catalog cache with the bucket; serving the cache as it is", metadata: [
                "error": "\(error)"])
        }
    }
}
