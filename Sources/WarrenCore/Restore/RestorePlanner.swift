import Foundation
import GRDB

/// Builds a ``RestorePlan``: verifies the backup against the target's version with the
/// restore's exclusions, and inspects the target for data a restore would merge with.
struct RestorePlanner {
    let repository: Repository

    struct Output {
        var plan: RestorePlan
        /// The files to write, with their checked paths.
        var files: [(path: SafeRelativePath, file: VerifyInput.File)]
        var definitionsObject: ObjectID
        var definedVhosts: [String]
        var durableQueues: [[String]]
    }

    func plan(_ request: RestoreRequest, broker: BrokerControl, targetVersion: String, nodeDirectory: String) throws -> Output {
        let report = try Verifier(repository: repository).verify(
            id: request.backupID,
            options: VerifyOptions(targetVersion: targetVersion, excludeQueues: request.exclusions.queueGlobs, excludeVhosts: request.exclusions.vhosts,
                                   allowUnmatchedExclusions: request.exclusions.allowUnmatched))
        // A path that would leave the node directory: refused outright, also for a dry run
        // (exit 9, nothing touched), since no plan can be made of it.
        let unsafe = report.findings.filter { $0.code == .unsafePath }
        if !unsafe.isEmpty {
            throw WarrenError.restoreRefused(reason: "backup \(request.backupID) records \(unsafe.count) path(s) that would leave \(nodeDirectory)/msg_stores:\n  "
                + unsafe.prefix(20).map(\.message).joined(separator: "\n  "))
        }
        let (input, expected, durableQueues) = try CatalogAccess.read(repository.catalog) { db in
            (try VerifyInput.load(db, id: request.backupID),
             try Dictionary(Row.fetchAll(db, sql: "SELECT vhost, queue, messages FROM expected_count WHERE backup_id = ?", arguments: [request.backupID])
                .map { ([$0["vhost"] as String, $0["queue"] as String], $0["messages"] as Int) }, uniquingKeysWith: { a, _ in a }),
             try Row.fetchAll(db, sql: "SELECT vhost, name FROM def_queue WHERE backup_id = ? AND durable = 1", arguments: [request.backupID])
                .map { [$0["vhost"] as String, $0["name"] as String] })
        }
        guard let definitionsObject = input.definitionsObject else {
            throw WarrenError.restoreRefused(reason: "backup \(request.backupID) has no definitions")
        }
        let layout = LayoutChecker(input: input, exclusions: request.exclusions, targetVersion: BrokerVersion(targetVersion))
        let excludedQueues = layout.excludedQueueIDs, excludedVhosts = layout.excludedVhostIDs
        let vhostsWithExclusions = Set(input.storedQueues.filter { excludedQueues.contains($0.id) }.map(\.storeVhostID))
        let cleanStopNames: Set<String> = ["recovery.dets", "clean.dot", "file_summary.ets", "msg_store_index.ets"]

        var files: [(SafeRelativePath, VerifyInput.File)] = []
        for file in layout.includedFiles() where file.kind != .transient {
            if let v = file.storeVhostID, vhostsWithExclusions.contains(v),
               cleanStopNames.contains(String(file.path.split(separator: "/").last ?? "")) {
                continue
            }
            files.append((try SafeRelativePath(file.path), file))
        }

        let targetVhosts = Set(try broker.vhosts())
        var vhosts: [RestorePlan.VHost] = []
        for vhost in input.storedVhosts where !excludedVhosts.contains(vhost.id) {
            let mine = files.filter { $0.1.storeVhostID == vhost.id }
            let queues = input.storedQueues.filter { $0.storeVhostID == vhost.id && !excludedQueues.contains($0.id) }.map { q in
                // The broker's count at backup time, else what the stored index says. The
                // broker counts a priority queue as a whole: each level has its index count.
                let counted = q.priority != nil ? nil : q.vhost.flatMap { v in q.name.flatMap { expected[[v, $0]] } }
                return RestorePlan.Queue(vhost: q.vhost, name: q.name, files: q.fileCount, bytes: q.bytes,
                                         expectedMessages: counted ?? q.messages,
                                         expectedSource: counted != nil ? "broker" : (q.messages != nil ? "index" : nil),
                                         priority: q.priority)
            }
            // A vhost the target has: the broker's count decides (acked data lingers in index
            // files). A stale directory of a vhost it does not have: any data on disk counts.
            var targetMessages = 0
            let state: String
            if let name = vhost.name, targetVhosts.contains(name) {
                targetMessages = try broker.queues(vhost: name).filter { $0.type == "classic" }.reduce(0) { $0 + $1.messages }
                state = targetMessages > 0 ? "holds_messages" : "empty"
            } else {
                state = try Self.storedDataBytes(nodeDirectory + "/msg_stores/vhosts/" + vhost.dirName) > 0 ? "holds_messages" : "absent"
            }
            vhosts.append(.init(
                name: vhost.name, dirName: vhost.dirName, files: mine.count, bytes: mine.reduce(0) { $0 + $1.1.size },
                queues: queues, targetState: state, targetMessages: targetMessages, cleanStopFilesDropped: vhostsWithExclusions.contains(vhost.id)))
        }
        let excluded = input.storedQueues.filter { excludedQueues.contains($0.id) }.map { q in
            RestorePlan.Excluded(vhost: q.vhost, name: q.name, files: q.fileCount, bytes: q.bytes,
                                 reason: excludedVhosts.contains(q.storeVhostID) ? "vhost excluded" : "queue excluded (\(request.exclusions.glob(excluding: q.name) ?? "?"))")
        }
        let b = input.backup
        let plan = RestorePlan(
            backup: request.backupID, node: request.node, targetVersion: targetVersion, nodeDirectory: nodeDirectory,
            verdict: report.verdict, findings: report.findings,
            definitions: .init(vhosts: b.vhostCount, queues: b.queueCount, exchanges: b.exchangeCount, bindings: b.bindingCount,
                               policies: b.policyCount, users: b.userCount),
            vhosts: vhosts, excluded: excluded, files: files.count, bytes: files.reduce(0) { $0 + $1.1.size },
            asideDirectory: request.replaceVhostData ? AsideStore.directory(repository: repository.path, base: request.asideBase) + "/\(Self.stamp())-backup-\(request.backupID)" : nil,
            occupiedVhosts: vhosts.filter { $0.targetState == "holds_messages" }.map { $0.name ?? $0.dirName })
        var named = plan
        named.nodeNameChange = NodeNameChange(from: b.node, to: request.node, nonClassicQueues: input.definedQueues
            .filter { $0.value.type != "classic" }.map { $0.key.joined(separator: "/") }.sorted())
        return Output(plan: named, files: files, definitionsObject: definitionsObject,
                      definedVhosts: Array(input.definedVhosts).sorted(), durableQueues: durableQueues)
    }

    /// Bytes of message data in a target vhost directory: non-empty rdq files and queue
    /// index/store files. Zero when the directory does not exist.
    static func storedDataBytes(_ directory: String) throws -> Int64 {
        guard try Posix.lstatIfExists(directory)?.isDirectory == true else { return 0 }
        var total: Int64 = 0
        let persistent = directory + "/msg_store_persistent"
        if try Posix.lstatIfExists(persistent)?.isDirectory == true {
            for name in try Posix.listDirectory(persistent) where name.hasSuffix(".rdq") {
                total += try Posix.lstatOrThrow(persistent + "/" + name).size
            }
        }
        let queues = directory + "/queues"
        if try Posix.lstatIfExists(queues)?.isDirectory == true {
            for queue in try Posix.listDirectory(queues) where try Posix.lstatOrThrow(queues + "/" + queue).isDirectory {
                for name in try Posix.listDirectory(queues + "/" + queue) where [.idx, .journal, .qi, .qs].contains(FileKind.classify(["vhosts", "v", "queues", "q", name])) {
                    total += try Posix.lstatOrThrow(queues + "/" + queue + "/" + name).size
                }
            }
        }
        return total
    }

    static func stamp() -> String {
        Timestamp.format(Date()).replacingOccurrences(of: ":", with: "")
    }
}
