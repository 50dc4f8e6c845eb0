import Foundation
import GRDB
import Testing
@testable import WarrenCore

/// The repository write lock: exclusion between holders (flock is per open file, so two
/// holders in one process exclude each other like two processes), waiting, the holder
/// record in error messages, takeover of a dead holder's lock, and register under it.
@Suite struct RepositoryLockTests {
    @Test func aSecondWriterFailsNamingTheHolder() throws {
        let f = try RetentionFixture()
        let first = try RepositoryLock.acquire(repository: f.repo, command: "prune")
        #expect(first.holder.pid == getpid() && first.holder.command == "prune" && first.tookOverFrom == nil)
        do {
            _ = try RepositoryLock.acquire(repository: f.repo, command: "gc")
            Issue.record("a second holder got the lock")
        } catch let WarrenError.lockHeld(path, holder, waited) {
            #expect(path == f.repo.path && waited == 0)
            #expect(holder == first.holder)
            let message = WarrenError.lockHeld(path: path, holder: holder, waited: waited).description
            for part in ["pid \(getpid())", "host \(LockHolder.hostName)", "`warren prune`", first.holder.startedAt, "Let it finish and retry"] {
                #expect(message.contains(part), "message lacks \(part): \(message)")
            }
            #expect(WarrenError.lockHeld(path: path, holder: holder, waited: waited).exitCode == 8)
        }
        first.release()
        #expect(try Data(contentsOf: URL(fileURLWithPath: first.path)).isEmpty, "release clears the record")
        let second = try RepositoryLock.acquire(repository: f.repo, command: "gc")
        #expect(second.tookOverFrom == nil, "a cleanly released lock is not a takeover")
        second.release()
    }

    @Test func waitsUpToTheTimeout() throws {
        let f = try RetentionFixture()
        let first = try RepositoryLock.acquire(repository: f.repo, command: "register")
        let start = Date()
        do {
            _ = try RepositoryLock.acquire(repository: f.repo, command: "gc", options: .init(timeout: 0.3))
            Issue.record("took a held lock")
        } catch let WarrenError.lockHeld(path, holder, waited) {
            #expect(path == f.repo.path && holder == first.holder && waited >= 0.3)
        }
        #expect(Date().timeIntervalSince(start) >= 0.3)

        DispatchQueue.global().asyncAfter(deadline: .now() + 0.5) { first.release() }
        let waitStart = Date()
        let second = try RepositoryLock.acquire(repository: f.repo, command: "gc", options: .init(timeout: 10))
        let waited = Date().timeIntervalSince(waitStart)
        #expect(waited >= 0.4 && waited < 5, "waited \(waited) s")
        second.release()
    }

    @Test func takesOverALockLeftByADeadProcess() throws {
        let f = try RetentionFixture()
        // A process that has exited: its flock is gone, its record is still in the file.
        let child = Process()
        child.executableURL = URL(fileURLWithPath: "/bin/true")
        try child.run()
        child.waitUntilExit()
        let dead = LockHolder(pid: child.processIdentifier, host: LockHolder.hostName, command: "register", startedAt: "2026-01-01T00:00:00Z")
        try Data(dead.encoded()).write(to: URL(fileURLWithPath: RepositoryLock.lockPath(of: f.repo)))
        #expect(RepositoryLock.currentHolder(repository: f.repo) == nil, "a dead holder is not current")

        let reported = Reported()
        let lock = try RepositoryLock.acquire(repository: f.repo, command: "prune", options: .init { reported.add($0) })
        #expect(lock.tookOverFrom == dead)
        #expect(reported.holders == [dead])
        #expect(RepositoryLock.currentHolder(repository: f.repo) == lock.holder)
        lock.release()
    }

    @Test func registerTakesTheLockAndWaitsWhenAsked() throws {
        let f = try RetentionFixture()
        let tree = try f.makeTree()
        let held = try RepositoryLock.acquire(repository: f.repo, command: "prune")
        #expect(throws: WarrenError.lockHeld(path: f.repo.path, holder: held.holder, waited: 0)) {
            try Registrar(repository: f.repo).register(RegisterRequest(directory: tree, node: "rabbit@a"))
        }
        #expect(try f.backupIDs().isEmpty, "nothing recorded")
        #expect(try f.objectFiles().isEmpty, "nothing stored")

        DispatchQueue.global().asyncAfter(deadline: .now() + 0.3) { held.release() }
        var registrar = Registrar(repository: f.repo)
        registrar.lockOptions = .init(timeout: 10)
        let id = try registrar.register(RegisterRequest(directory: tree, node: "rabbit@a"))
        #expect(try f.backupIDs() == [id])
        #expect(try Data(contentsOf: URL(fileURLWithPath: RepositoryLock.lockPath(of: f.repo))).isEmpty, "register released it")
    }

    @Test func concurrentRegistersInOneProcessSerialise() throws {
        let f = try RetentionFixture()
        let trees = try (0..<4).map { i in try f.makeTree(unique: 2_000_000, seed: i + 1) }
        let results = Results()
        let repo = f.repo
        let roots = trees
        DispatchQueue.concurrentPerform(iterations: trees.count) { i in
            var registrar = Registrar(repository: repo)
            registrar.lockOptions = .init(timeout: 60)
            results.add(Result { try registrar.register(RegisterRequest(directory: roots[i], node: "rabbit@a")) })
        }
        #expect(results.all.count == 4 && results.all.allSatisfy { (try? $0.get()) != nil })
        #expect(try f.verifyAll().values.allSatisfy { $0 == .viableWithWarnings })
        #expect(try RepositoryChecker(repository: f.repo).check().clean)
    }
}

private final class Reported: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var holders: [LockHolder] = []
    func add(_ holder: LockHolder) { lock.lock(); holders.append(holder); lock.unlock() }
}

private final class Results: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var all: [Result<Int64, Error>] = []
    func add(_ result: Result<Int64, Error>) { lock.lock(); all.append(result); lock.unlock() }
}
