extension Repository {
    /// Runs `body` holding the repository's write lock (see ``RepositoryLock``), and
    /// releases it afterwards, also when `body` throws. Every command that stores objects or
    /// deletes catalog rows wraps its work in this:
    /// ```swift
    /// try repo.withWriteLock(command: "restore", options: .init(timeout: lockTimeout)) { … }
    /// ```
    /// - Throws: ``WarrenError/lockHeld(path:holder:waited:)`` when another process keeps
    ///   the lock past `options.timeout` seconds, or whatever `body` throws.
    public func withWriteLock<T>(
        command: String, options: RepositoryLock.Options = RepositoryLock.Options(), _ body: () throws -> T
    ) throws -> T {
        let lock = try RepositoryLock.acquire(repository: self, command: command, options: options)
        defer { lock.release() }
        return try body()
    }
}
