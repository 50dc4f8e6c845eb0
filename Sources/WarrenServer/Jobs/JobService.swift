import NIOPosix
import ServiceLifecycle

/// Runs the submitted jobs as child tasks of the service group: the jobs that take the
/// repository lock in one lane, in order; the others side by side. Graceful shutdown stops
/// new submissions, cancels what waits and asks running jobs to stop; the group's
/// `maximumGracefulShutdownDuration` bounds how long they may take.
public struct JobService: Service {
    let jobs: JobManager
    /// Threads for the jobs' blocking work.
    let threads: Int

    public init(jobs: JobManager, threads: Int = 4) {
        self.jobs = jobs
        self.threads = threads
    }

    public func run() async throws {
        let pool = NIOThreadPool(numberOfThreads: threads)
        pool.start()
        let jobs = self.jobs
        await withGracefulShutdownHandler {
            await withDiscardingTaskGroup { group in
                let (lane, laneInput) = AsyncStream.makeStream(of: JobManager.Work.self)
                group.addTask {
                    for await work in lane { await jobs.run(work, on: pool) }
                }
                for await work in jobs.submissions {
                    if work.job.needsLock {
                        laneInput.yield(work)
                    } else {
                        group.addTask { await jobs.run(work, on: pool) }
                    }
                }
                laneInput.finish()
            }
        } onGracefulShutdown: {
            jobs.stopAccepting()
        }
        try await pool.shutdownGracefully()
    }
}
