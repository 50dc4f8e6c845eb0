import Foundation
import WarrenCore

#if canImport(Glibc)
import Glibc
#endif

/// `warren serve`'s settings.
public struct ServeConfiguration: Sendable {
    /// A directory, or an `s3:` URL (then ``s3`` is set).
    public var repositoryPath: String
    /// Credentials and cache of an `s3:` repository; nil for a local one.
    public var s3: S3Connection?
    /// How often (seconds) the catalog cache of an `s3:` repository reads what other hosts
    /// changed in the bucket (``BucketSync``).
    public var bucketSyncInterval: Double = 60
    /// Nil: `warren.sock` in the repository (for an `s3:` repository, in this host's cache
    /// directory of it).
    public var socketPath: String?
    public var socketMode: mode_t
    public var socketGroup: String?
    /// `127.0.0.1:PORT`; needs `token`.
    public var listen: (host: String, port: Int)?
    public var token: String?
    public var rabbitmqctl: String
    public var shutdownTimeout: Double
    /// How often due schedules are looked for (seconds).
    public var schedulerTick: Double = 1
    /// Seconds a connection may stay idle, or take to send a request's head, before it is
    /// closed.
    public var idleTimeout: Double = 30
    /// Starts a ``BrokerGuard`` before each job's `stop_app` (the CLI passes its own binary),
    /// so that a killed service does not leave a broker app stopped.
    public var guardLauncher: BrokerGuard.Launcher?
    /// The password of an encrypted repository, read once at start (the service never
    /// prompts later). Nil: only a plaintext repository can be served.
    public var password: (@Sendable () throws -> Password)?
    /// The configuration file's retention policies (prune jobs and scheduled runs apply
    /// them above the stored ones) and schedules (made the catalog's file schedules at start).
    public var configuredRetention: ConfiguredRetention?
    public var configuredSchedules: [ConfiguredSchedule] = []

    public init(repositoryPath: String, socketPath: String?, socketMode: mode_t = 0o660, socketGroup: String? = nil,
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
