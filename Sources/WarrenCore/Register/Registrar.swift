import Foundation

/// `warren register`: ingests a backup directory made by hand with the documented procedure.
public struct Registrar {
    public let repository: Repository
    /// Test seam: see ``BackupWriter/beforeEachFile``.
    var beforeEachFile: (@Sendable (String) throws -> Void)?
    /// Offline message counting from the index files; switched off only to measure its cost.
    public var countMessages = true
    /// How long to wait for the repository's write lock, held while storing and recording.
    public var lockOptions = RepositoryLock.Options()
    /// Polled between files; throwing from it (Ctrl-C, SIGTERM) marks the backup failed and
    /// removes the objects it had stored.
    public var checkInterrupted: (@Sendable () throws -> Void)?
    /// Given how long each phase of the ingest took, once the backup is complete (the CLI
    /// prints it under `-v`).
    public var onTimings: (@Sendable (RegisterTimings) -> Void)?

    public init(repository: Repository) {
        self.repository = repository
    }

    static let definitionsLimit = 512 << 20
    static let definitionsNames = ["definitions.json", "definitions.backup"]

    /// Registers the backup and returns its id. Nothing is recorded as complete unless
    /// every file was stored.
    public func register(_ request: RegisterRequest, progress: ProgressHandler? = nil) throws -> Int64 {
        try BackupNaming.validate(node: request.node, label: request.label)
        let directory = Repository.absolute(request.directory)
        guard let st = try Posix.lstatIfExists(directory) else {
            throw WarrenError.invalidBackup(path: directory, reason: "does not exist")
        }
        guard st.isDirectory else { throw WarrenError.invalidBackup(path: directory, reason: "is a \(st.typeName), expected a backup directory") }
        try Self.refuseMsgStoresItself(directory)

        let definitionsPath = try locateDefinitions(in: directory, explicit: request.definitionsPath)
        let bytes = try Posix.readSmallFile(definitionsPath, limit: Self.definitionsLimit)
        let definitions = try DefinitionsParser.parse(bytes, path: definitionsPath)
        let takenAt = try request.takenAt ?? Date(
            timeIntervalSince1970: Double(Posix.lstatOrThrow(definitionsPath).mtimeNs) / 1e9)

        let msgStores = directory + "/msg_stores"
        if let msgStat = try Posix.lstatIfExists(msgStores), !msgStat.isDirectory {
            throw WarrenError.invalidBackup(path: msgStores, reason: "is a \(msgStat.typeName), expected a directory")
        }
        let source = IngestSource(
            node: request.node, label: request.label, takenAt: takenAt, origin: .register, sourcePath: directory,
            consistent: nil, definitionsPath: definitionsPath, definitionsBytes: bytes, definitions: definitions,
            msgStoresPath: msgStores, includeTransient: true)
        let before = Self.beforeEachFile(seam: beforeEachFile, check: checkInterrupted)
        return try repository.withWriteLock(command: "register", options: lockOptions) {
            try BackupWriter(repository: repository, beforeEachFile: before, countMessages: countMessages, reportTimings: onTimings)
                .write(source, progress: progress)
        }
    }

    /// The interruption poll, then the test seam, before each file.
    private static func beforeEachFile(seam: (@Sendable (String) throws -> Void)?, check: (@Sendable () throws -> Void)?) -> (@Sendable (String) throws -> Void)? {
        if seam == nil && check == nil { return nil }
        return { @Sendable (path: String) throws -> Void in
            try check?()
            try seam?(path)
        }
    }

    /// `register DIR/msg_stores`, one level too deep: the directory holds `vhosts/` and no `msg_stores/`.
    static func refuseMsgStoresItself(_ directory: String) throws {
        let isStoreRoot = (try? Posix.lstatIfExists(directory + "/vhosts"))?.isDirectory == true
        let holdsStores = (try? Posix.lstatIfExists(directory + "/msg_stores")) != nil
        guard isStoreRoot, !holdsStores else { return }
        let parent = (directory as NSString).deletingLastPathComponent
        throw WarrenError.invalidBackup(
            path: directory,
            reason: "is a msg_stores/ directory itself (it holds vhosts/): point at the directory that holds msg_stores/ and the definitions file, e.g. \(parent)")
    }

    private func locateDefinitions(in directory: String, explicit: String?) throws -> String {
        if let explicit {
            let path = Repository.absolute(explicit)
            guard try Posix.lstatIfExists(path) != nil else {
                throw WarrenError.invalidBackup(path: path, reason: "definitions file does not exist")
            }
            return path
        }
        for name in Self.definitionsNames {
            let path = directory + "/" + name
            if try Posix.lstatIfExists(path) != nil { return path }
        }
        throw WarrenError.invalidBackup(
            path: directory,
            reason: "holds no definitions file (looked for \(Self.definitionsNames.joined(separator: " and "))); export one with `rabbitmqctl export_definitions FILE.json`, or name it with --definitions")
    }
}
