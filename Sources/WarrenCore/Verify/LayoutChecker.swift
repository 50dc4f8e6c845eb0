/// Checks that the broker would load every stored vhost and queue directory: each must have
/// a matching definition, and the right directory name. Also the non-blocking warnings and
/// the CQv1-on-target rules. Applies the exclusions exactly as a restore would.
struct LayoutChecker {
    let input: VerifyInput
    let exclusions: Exclusions
    let targetVersion: BrokerVersion?

    private var vhostByID: [Int64: VerifyInput.StoredVhost] {
        Dictionary(uniqueKeysWithValues: input.storedVhosts.map { ($0.id, $0) })
    }

    /// Vhost directories left out by --exclude-vhost.
    var excludedVhostIDs: Set<Int64> {
        Set(input.storedVhosts.filter { exclusions.excludes(vhost: $0.name) }.map(\.id))
    }

    /// Queue directories left out by --exclude-queue or --exclude-vhost.
    var excludedQueueIDs: Set<Int64> {
        let vhosts = excludedVhostIDs
        return Set(input.storedQueues.filter { vhosts.contains($0.storeVhostID) || exclusions.glob(excluding: $0.name) != nil }.map(\.id))
    }

    /// The manifest files a restore with these exclusions would write.
    func includedFiles() -> [VerifyInput.File] {
        let vhosts = excludedVhostIDs, queues = excludedQueueIDs
        return input.files.filter { file in
            if let v = file.storeVhostID, vhosts.contains(v) { return false }
            if let q = file.storeQueueID, queues.contains(q) { return false }
            return true
        }
    }

    func check() -> [Finding] {
        var findings: [Finding] = []
        let excludedVhosts = excludedVhostIDs
        for vhost in input.storedVhosts {
            let base = "vhosts/\(vhost.dirName)"
            if excludedVhostIDs.contains(vhost.id) {
                findings.append(Finding(.vhostExcluded, vhost: vhost.name, path: base, "vhost excluded (--exclude-vhost): its stored data is not restored and not judged"))
                continue
            }
            guard let name = vhost.name else {
                findings.append(Finding(.vhostNameMissing, path: base + "/.vhost", "vhost directory \(vhost.dirName) has no .vhost file: the broker cannot tell which vhost it belongs to and will not load it"))
                continue
            }
            if !input.definedVhosts.contains(name) {
                findings.append(Finding(.vhostNotDefined, vhost: name, path: base, "vhost \(quoted(name)) has stored data but no definition: the broker will not load it. Export definitions again while the vhost exists, or restore with --exclude-vhost \(quoted(name))"))
            } else if !vhost.dirMatchesName {
                findings.append(Finding(.vhostDirMismatch, vhost: name, path: base, "directory \(vhost.dirName) does not match vhost \(quoted(name)) (expected \(RabbitDirectoryName.vhost(name))): the broker will not find it"))
            }
            let files = input.files.filter { $0.storeVhostID == vhost.id }
            if !files.contains(where: { $0.path == base + "/msg_store_persistent/clean.dot" }) {
                findings.append(Finding(.liveCopy, vhost: name, path: base + "/msg_store_persistent", "no clean-stop files: copied from a running node. The broker will rebuild its indices at start (slower; messages published during the copy may be missing). Take backups with the app stopped for a consistent copy"))
            }
            let transient = files.filter { $0.kind == .transient && $0.path.hasSuffix(".rdq") && $0.size > 0 }
            if !transient.isEmpty {
                findings.append(Finding(.transientContent, vhost: name, path: base + "/msg_store_transient", "\(transient.reduce(0) { $0 + $1.size }) bytes of transient messages: the broker wipes them at start, they will not come back"))
            }
        }

        for queue in input.storedQueues {
            let vhostDir = vhostByID[queue.storeVhostID]
            let path = "vhosts/\(vhostDir?.dirName ?? "?")/queues/\(queue.dirName)"
            if excludedVhosts.contains(queue.storeVhostID) { continue }
            if let glob = exclusions.glob(excluding: queue.name) {
                findings.append(Finding(.queueExcluded, vhost: queue.vhost, queue: queue.name, path: path, "queue excluded by --exclude-queue '\(glob)': its definition is imported but its \(queue.fileCount) files (\(queue.bytes) bytes) are not restored; it comes back empty"))
                continue
            }
            findings += checkQueue(queue, vhostDir: vhostDir, path: path)
        }

        for (key, queue) in input.definedQueues.sorted(by: { $0.key.lexicographicallyPrecedes($1.key) }) {
            let (vhost, name) = (key[0], key[1])
            if exclusions.excludes(vhost: vhost) || exclusions.glob(excluding: name) != nil { continue }
            if queue.type == "quorum" {
                findings.append(Finding(.quorumNotBackedUp, vhost: vhost, queue: name, "quorum queue \(quoted(name)) in vhost \(quoted(vhost)): its messages are not in msg_stores, so only its definition comes back (empty)"))
            } else if queue.type == "stream" {
                findings.append(Finding(.streamNotBackedUp, vhost: vhost, queue: name, "stream \(quoted(name)) in vhost \(quoted(vhost)): its messages are not in msg_stores, so only its definition comes back (empty)"))
            }
        }
        if input.backup.usersWithPassword > 0 {
            findings.append(Finding(.passwordHashes, "the definitions hold password hashes of \(input.backup.usersWithPassword) users: protect the repository like a credentials store"))
        }
        return findings
    }

    private func checkQueue(_ queue: VerifyInput.StoredQueue, vhostDir: VerifyInput.StoredVhost?, path: String) -> [Finding] {
        guard let vhost = queue.vhost, let name = queue.name else {
            return [Finding(.queueNameMissing, vhost: vhostDir?.name, path: path, "queue directory \(queue.dirName) has no .queue_name file: the broker cannot match it to a queue and deletes it at start")]
        }
        if let dirVhost = vhostDir?.name, dirVhost != vhost {
            return [Finding(.queueVhostMismatch, vhost: vhost, queue: name, path: path, "queue \(quoted(name)) says vhost \(quoted(vhost)) but sits in the directory of vhost \(quoted(dirVhost)): the broker will not load it")]
        }
        let data = "\(queue.fileCount) files, \(queue.bytes) bytes"
        guard let defined = input.definedQueues[[vhost, name]] else {
            return [Finding(.queueNotDefined, vhost: vhost, queue: name, path: path, "queue \(quoted(name)) in vhost \(quoted(vhost)) has stored data (\(data)) but no definition: the broker deletes it at start. Export definitions again after the queue is declared, or restore with --exclude-queue \(quoted(name))")]
        }
        var findings: [Finding] = []
        if defined.type != "classic" {
            findings.append(Finding(.queueNotClassic, vhost: vhost, queue: name, path: path, "queue \(quoted(name)) in vhost \(quoted(vhost)) is defined as \(defined.type) but has classic queue data (\(data)): the broker deletes it at start. Restore definitions where it is classic, or exclude it with --exclude-queue"))
        }
        if !defined.durable {
            findings.append(Finding(.queueNotDurable, vhost: vhost, queue: name, path: path, "queue \(quoted(name)) in vhost \(quoted(vhost)) is defined as non-durable but has stored data (\(data)): the broker deletes it at start"))
        }
        if let level = queue.priority {
            if let max = defined.maxPriority, level > max {
                findings.append(Finding(.queuePriorityNotDefined, vhost: vhost, queue: name, path: path, "priority queue \(quoted(name)) in vhost \(quoted(vhost)) has stored data at priority level \(level) (\(data)), above its definition's x-max-priority \(max): the broker deletes that level at start. Restore definitions that declare the queue with x-max-priority >= \(level)"))
            } else if defined.maxPriority == nil {
                findings.append(Finding(.queuePriorityNotDefined, vhost: vhost, queue: name, path: path, "queue \(quoted(name)) in vhost \(quoted(vhost)) has stored data of priority level \(level) (\(data)), but its definition has no x-max-priority: the broker deletes the level at start. Export definitions again from the node that holds the priority queue, or restore with --exclude-queue \(quoted(name))"))
            }
        }
        if !queue.dirMatchesName {
            let level = queue.priority.map { " priority level \($0)" } ?? ""
            findings.append(Finding(.queueDirMismatch, vhost: vhost, queue: name, path: path, "directory \(queue.dirName) does not match queue \(quoted(name))\(level) in vhost \(quoted(vhost)) (expected \(RabbitDirectoryName.queue(vhost: vhost, queue: name, priority: queue.priority))): the broker deletes it at start"))
        }
        findings += checkIndex(queue, vhost: vhost, name: name, path: path)
        if queue.indexVersion == 1, let target = targetVersion {
            if target.atLeast(4, 3) {
                findings.append(Finding(.cqv1Unsupported, vhost: vhost, queue: name, path: path, "CQv1 index files cannot be read by RabbitMQ \(target) (4.3+ removed CQv1): these messages would be lost silently. Restore onto 4.0–4.2 first (it converts CQv1 to v2 at boot), then upgrade"))
            } else if target.atLeast(4, 0) {
                findings.append(Finding(.cqv1Converted, vhost: vhost, queue: name, path: path, "CQv1 index: RabbitMQ \(target) converts it to CQv2 at boot"))
            }
        }
        return findings
    }

    /// The queue's index against the manifest: every `.qs` segment it points into must be
    /// stored, and messages in the shared store need the vhost's rdq files.
    private func checkIndex(_ queue: VerifyInput.StoredQueue, vhost: String, name: String, path: String) -> [Finding] {
        if let error = queue.indexError {
            return [Finding(.indexUnreadable, vhost: vhost, queue: name, path: path, "the index of queue \(quoted(name)) in vhost \(quoted(vhost)) cannot be read (\(error)): the broker cannot recover these messages either. Take a new backup with the app stopped")]
        }
        var findings: [Finding] = []
        let stored = Set(input.files.filter { $0.storeQueueID == queue.id }.map { String($0.path.split(separator: "/").last ?? "") })
        let missing = queue.queueStoreSegments.filter { !stored.contains("\($0).qs") }
        if !missing.isEmpty {
            findings.append(Finding(.indexQueueStoreMissing, vhost: vhost, queue: name, path: path + "/\(missing[0]).qs", "the index of queue \(quoted(name)) in vhost \(quoted(vhost)) points into \(missing.map { "\($0).qs" }.joined(separator: ", ")), which the backup does not hold: those messages would be lost"))
        }
        if let shared = queue.inSharedStore, shared > 0,
           !input.files.contains(where: { $0.storeVhostID == queue.storeVhostID && $0.kind == .rdq && $0.size > 0 }) {
            findings.append(Finding(.indexSharedStoreMissing, vhost: vhost, queue: name, path: path, "the index of queue \(quoted(name)) in vhost \(quoted(vhost)) has \(shared) messages in the shared store, but the backup holds no rdq data for the vhost: those messages would be lost. Copy msg_store_persistent/ too"))
        }
        return findings
    }

    private func quoted(_ name: String) -> String { "'\(name)'" }
}
