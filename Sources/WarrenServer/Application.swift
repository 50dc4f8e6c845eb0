import Foundation
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import WarrenCore

#if canImport(Glibc)
import Glibc
#endif

/// Builds the `/v1` router. `token` non-nil puts every route behind `Authorization: Bearer`.
public func buildRouter(service: ServiceContext, token: String? = nil) -> Router<BasicRequestContext> {
    let router = Router(context: BasicRequestContext.self)
    let routes = RouteTable()
    router.add(middleware: ErrorMiddleware(routes: routes))
    if let token { router.add(middleware: BearerTokenMiddleware(token: token)) }
    let v1 = router.group("v1")
    SystemController(service: service).add(to: v1)
    BackupsController(service: service).add(to: v1)
    JobsController(service: service).add(to: v1)
    RestoresController(service: service).add(to: v1)
    PolicyController(service: service).add(to: v1)
    routes.fill(router)
    return router
}

/// `warren serve`'s settings.
public struct ServeConfiguration: Sendable {
    public var repositoryPath: String
    public var socketPath: String
    public var socketMode: mode_t
    public var socketGroup: String?
    /// `127.0.0.1:PORT`; needs `token`.
    public var listen: (host: String, port: Int)?
    public var token: String?
    public var rabbitmqctl: String
    public var shutdownTimeout: Double
    /// How often due schedules are looked for (seconds).
    public var schedulerTick: Double = 1

    public init(repositoryPath: String, socketPath: String, socketMode: mode_t = 0o660, socketGroup: String? = nil,
                listen: (host: String, port: Int)? = nil, token: String? = nil, rabbitmqctl: String = "rabbitmqctl",
                shutdownTimeout: Double = 30) {
        self.repositoryPath = repositoryPath
        self.socketPath = socketPath
        self.socketMode = socketMode
        self.socketGroup = socketGroup
        self.listen = listen
        self.token = token
        self.rabbitmqctl = rabbitmqctl
        self.shutdownTimeout = shutdownTimeout
    }
}

/// Runs the job manager's graceful stop when the service group shuts down.
struct JobService: Service {
    let jobs: JobManager
    let timeout: Double

    func run() async throws {
        try? await gracefulShutdown()
        let jobs = self.jobs, timeout = self.timeout
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            DispatchQueue.global().async {
                jobs.shutdown(timeout: timeout)
                continuation.resume()
            }
        }
    }
}

/// `warren serve`: the Unix socket (mode and group applied before it is reachable), the
/// optional TCP listener, graceful shutdown on SIGTERM/SIGINT.
public enum WarrenService {
    public static func run(_ configuration: ServeConfiguration, logger: Logger) async throws {
        let repository = try Repository.open(at: configuration.repositoryPath)
        if let marker = ServiceMarker.live(repository: repository.path) {
            throw WarrenError.serviceRunning(socket: marker.socket, pid: marker.pid)
        }
        let gid = try configuration.socketGroup.map(UnixSocket.groupID)
        try UnixSocket.prepare(path: configuration.socketPath)
        let staging = try UnixSocket.stagingPath(for: configuration.socketPath)

        let metrics = ServiceMetrics()
        let jobs = JobManager(logger: logger, metrics: metrics)
        let context = ServiceContext(repository: repository, jobs: jobs, metrics: metrics, rabbitmqctl: configuration.rabbitmqctl)
        var services: [any Service] = [JobService(jobs: jobs, timeout: configuration.shutdownTimeout)]
        // After the jobs in the list, so that graceful shutdown stops it before the jobs drain.
        services.append(Scheduler(service: context, logger: logger, tick: configuration.schedulerTick))

        let socketPath = configuration.socketPath
        let mode = configuration.socketMode
        let unixApp = Application(
            router: buildRouter(service: context),
            configuration: .init(address: .unixDomainSocket(path: staging.socket), serverName: "warren"),
            onServerRunning: { _ in
                do {
                    try UnixSocket.publish(staging: staging, final: socketPath, mode: mode, gid: gid)
                    try ServiceMarker.write(repository: repository.path, socket: socketPath)
                    logger.info("serving", metadata: ["socket": "\(socketPath)", "mode": "\(String(mode, radix: 8))", "repository": "\(repository.path)"])
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
                router: buildRouter(service: context, token: token),
                configuration: .init(address: .hostname(listen.host, port: listen.port), serverName: "warren"),
                onServerRunning: { channel in
                    logger.info("TCP listener (bearer token required)", metadata: ["address": "\(channel.localAddress.map { "\($0)" } ?? "?")"])
                },
                logger: logger)
            services.append(tcpApp)
        }

        let group = ServiceGroup(configuration: .init(
            services: services.map { .init(service: $0) },
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger))
        defer {
            unlink(socketPath)
            UnixSocket.discard(staging)
            ServiceMarker.remove(repository: repository.path)
            logger.info("stopped; socket removed", metadata: ["socket": "\(socketPath)"])
        }
        try await group.run()
    }
}
