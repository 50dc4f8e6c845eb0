import Foundation
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import ServiceLifecycle
import WarrenCore

#if canImport(Glibc)
import Glibc
#endif

/// `warren serve`: the Unix socket (mode and group applied before it is reachable), the
/// optional TCP listener, graceful shutdown on SIGTERM/SIGINT.
public enum WarrenService {
    public static func run(_ configuration: ServeConfiguration, logger: Logger) async throws {
        let repository = try Repository.open(at: configuration.repositoryPath, password: configuration.password, s3: configuration.s3)
        try ServiceMarker.refuseIfServing(repository: repository.path)
        let socketPath = configuration.socketPath ?? URL(fileURLWithPath: repository.path).standardized.path + "/warren.sock"
        let gid = try configuration.socketGroup.map(UnixSocket.groupID)
        try UnixSocket.prepare(path: socketPath)
        let staging = try UnixSocket.stagingPath(for: socketPath)

        let metrics = ServiceMetrics()
        let jobs = JobManager(logger: logger, metrics: metrics)
        var dependencies = ServiceDependencies(repository: repository, jobs: jobs, metrics: metrics, rabbitmqctl: configuration.rabbitmqctl,
                                               guardLauncher: configuration.guardLauncher)
        dependencies.configuredRetention = configuration.configuredRetention
        // The file's schedules, before the scheduler's first tick; the others are left alone.
        let reconciled = try ScheduleStore(catalog: repository.catalog).reconcile(configuration.configuredSchedules)
        if !(reconciled.added.isEmpty && reconciled.removed.isEmpty && reconciled.kept.isEmpty) {
            logger.info("schedules from the configuration file", metadata: [
                "kept": "\(reconciled.kept)", "added": "\(reconciled.added)", "removed": "\(reconciled.removed)"])
        }
        var services: [any Service] = [JobService(jobs: jobs)]
        // After the jobs in the list, so that graceful shutdown stops it before the jobs drain.
        services.append(Scheduler(dependencies: dependencies, logger: logger, tick: configuration.schedulerTick))
        if repository.isS3 {
            services.append(BucketSync(repository: repository, logger: logger, interval: configuration.bucketSyncInterval))
        }
        let server = HTTPServerBuilder.http1(configuration: Self.http1(configuration))

        let mode = configuration.socketMode
        let unixApp = Application(
            router: buildRouter(dependencies: dependencies),
            server: server,
            configuration: .init(address: .unixDomainSocket(path: staging.socket), serverName: "warren"),
            onServerRunning: { _ in
                do {
                    try UnixSocket.publish(staging: staging, final: socketPath, mode: mode, gid: gid)
                    try ServiceMarker.write(repository: repository.path, socket: socketPath)
                    logger.info("serving", metadata: ["socket": "\(socketPath)", "mode": "\(String(mode, radix: 8))", "repository": "\(repository.location)"])
                } catch {
                    logger.critical("could not publish the socket", metadata: ["error": "\(error)"])
                    UnixSocket.discard(staging)
                    exit(5)
                }
            },
            logger: logger)
        services.append(unixApp)

        if let listen = configuration.listen {
            guard let token = configuration.token, !token.isEmpty else {
                throw WarrenError.invalidArgument(name: "--listen", reason: "the TCP listener needs --token-file with a non-empty token")
            }
            let tcpApp = Application(
                router: buildRouter(dependencies: dependencies, token: token),
                server: server,
                configuration: .init(address: .hostname(listen.host, port: listen.port), serverName: "warren"),
                onServerRunning: { channel in
                    logger.info("TCP listener (bearer token required)", metadata: ["address": "\(channel.localAddress.map { "\($0)" } ?? "?")"])
                },
                logger: logger)
            services.append(tcpApp)
        }

        var groupConfiguration = ServiceGroupConfiguration(
            services: services.map { .init(service: $0) },
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger)
        // Running jobs get this long to stop at their next safe point.
        groupConfiguration.maximumGracefulShutdownDuration = .milliseconds(Int64(configuration.shutdownTimeout * 1000))
        let group = ServiceGroup(configuration: groupConfiguration)
        defer {
            unlink(socketPath)
            UnixSocket.discard(staging)
            ServiceMarker.remove(repository: repository.path)
            logger.info("stopped; socket removed", metadata: ["socket": "\(socketPath)"])
        }
        try await group.run()
    }

    /// HTTP/1 settings: an idle connection, or one still sending its request head, is closed
    /// after `idleTimeout`; a request head larger than 16 KiB is refused.
    static func http1(_ configuration: ServeConfiguration) -> HTTP1Channel.Configuration {
        HTTP1Channel.Configuration(
            idleTimeout: .milliseconds(Int64(configuration.idleTimeout * 1000)),
            httpDecoderConfiguration: .init(maxHeaderFieldSize: 16 * 1024, maxHeaderListSize: 16 * 1024, maxHeaderFieldCount: 100))
    }
}
