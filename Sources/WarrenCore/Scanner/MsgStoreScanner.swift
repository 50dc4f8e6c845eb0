import Foundation

/// Walks a `msg_stores/` directory without following anything: symlinks and special files
/// are refused by name, and `.vhost` / `.queue_name` contents are read as data only.
public struct MsgStoreScanner: Sendable {
    /// Include `msg_store_transient/` (a manual copy holds it; a live backup skips it).
    public var includeTransient: Bool

    public init(includeTransient: Bool = true) {
        self.includeTransient = includeTransient
    }

    static let nameFileLimit = 64 * 1024

    /// - Parameter root: the `msg_stores` directory itself.
    public func scan(root: String) throws -> StoreScan {
        let rootStat = try Posix.lstatIfExists(root)
        guard let rootStat else { throw WarrenError.invalidBackup(path: root, reason: "does not exist (expected the msg_stores/ directory copied from the node)") }
        guard rootStat.isDirectory else {
            throw WarrenError.invalidBackup(path: root, reason: "is a \(rootStat.typeName), expected a directory")
        }
        guard let vhostsStat = try Posix.lstatIfExists(root + "/vhosts"), vhostsStat.isDirectory else {
            throw WarrenError.invalidBackup(path: root, reason: "has no vhosts/ directory; is this a RabbitMQ 3.7+ msg_stores copy?")
        }
        var files: [StoreScan.File] = []
        try walk(root: root, components: [], into: &files)
        return try summarize(root: root, files: files)
    }

    private func walk(root: String, components: [String], into files: inout [StoreScan.File]) throws {
        let dirPath = ([root] + components).joined(separator: "/")
        for name in try Posix.listDirectory(dirPath) {
            let path = dirPath + "/" + name
            let st = try Posix.lstatOrThrow(path)
            let childComponents = components + [name]
            if st.isDirectory {
                if !includeTransient, childComponents.count == 3, name == "msg_store_transient" { continue }
                try walk(root: root, components: childComponents, into: &files)
            } else if st.isRegular {
                let kind = FileKind.classify(childComponents)
                if kind == .transient, !includeTransient { continue }
                // A node never hard-links files in msg_stores; a second name for the inode may
                // be /etc/shadow, which would be stored and later restored (issue 12 §3).
                guard st.linkCount <= 1 else {
                    throw WarrenError.invalidBackup(
                        path: path, reason: "has \(st.linkCount) hard links (inode \(st.inode)): a RabbitMQ node never makes hard links in msg_stores, so another name of this file lies elsewhere and its content may not be the node's. Copy msg_stores again with `cp -a` (not `cp -al` or `rsync --link-dest`)")
                }
                // Refuse an unreadable file before anything is recorded, not half-way through.
                guard access(path, R_OK) == 0 else {
                    throw WarrenError.invalidBackup(
                        path: path, reason: "cannot be read (\(String(cString: strerror(errno)))); fix its permissions or run warren as a user that can read the node's files")
                }
                files.append(.init(
                    relativePath: childComponents.joined(separator: "/"), kind: kind, size: st.size,
                    mtimeNs: st.mtimeNs, ctimeNs: st.ctimeNs, inode: st.inode,
                    vhostDir: childComponents.count >= 3 && childComponents[0] == "vhosts" ? childComponents[1] : nil,
                    queueDir: childComponents.count >= 5 && childComponents[2] == "queues" ? childComponents[3] : nil))
            } else {
                throw WarrenError.invalidBackup(
                    path: path, reason: "is a \(st.typeName); a backup must hold only regular files and directories (copy with `cp -a` from the node, not links)")
            }
        }
    }

    private func summarize(root: String, files: [StoreScan.File]) throws -> StoreScan {
        var vhostDirs = Set<String>()
        for entry in try Posix.listDirectory(root + "/vhosts") {
            if try Posix.lstatOrThrow(root + "/vhosts/" + entry).isDirectory { vhostDirs.insert(entry) }
        }
        var vhosts: [StoreScan.VHost] = []
        for dir in vhostDirs.sorted() {
            let base = "\(root)/vhosts/\(dir)"
            var name: String?
            if try Posix.lstatIfExists(base + "/.vhost") != nil {
                let bytes = try Posix.readSmallFile(base + "/.vhost", limit: Self.nameFileLimit)
                switch QueueNameFile.parseVhost(bytes) {
                case let .success(value): name = value
                case let .failure(error): throw WarrenError.invalidBackup(path: base + "/.vhost", reason: "is malformed: \(error.reason)")
                }
            }
            var segmentEntryCount: Int?
            if try Posix.lstatIfExists(base + "/.config") != nil {
                let text = String(decoding: try Posix.readSmallFile(base + "/.config", limit: Self.nameFileLimit), as: UTF8.self)
                segmentEntryCount = Self.segmentEntryCount(in: text)
            }
            vhosts.append(.init(
                dirName: dir, name: name, segmentEntryCount: segmentEntryCount,
                dirMatchesName: name.map { RabbitDirectoryName.vhost($0) == dir } ?? false))
        }

        var queueStats: [String: (files: Int, bytes: Int64, kinds: Set<FileKind>)] = [:]
        for file in files {
            guard let vdir = file.vhostDir, let qdir = file.queueDir else { continue }
            let key = vdir + "/" + qdir
            var entry = queueStats[key] ?? (0, 0, [])
            entry.files += 1
            entry.bytes += file.size
            entry.kinds.insert(file.kind)
            queueStats[key] = entry
        }
        var queues: [StoreScan.Queue] = []
        for vhost in vhosts {
            let queuesDir = "\(root)/vhosts/\(vhost.dirName)/queues"
            guard let st = try Posix.lstatIfExists(queuesDir), st.isDirectory else { continue }
            for qdir in try Posix.listDirectory(queuesDir) {
                let qpath = queuesDir + "/" + qdir
                guard try Posix.lstatOrThrow(qpath).isDirectory else { continue }
                let stats = queueStats[vhost.dirName + "/" + qdir] ?? (0, 0, [])
                var queue = StoreScan.Queue(
                    vhostDir: vhost.dirName, dirName: qdir, vhost: nil, name: nil, indexVersion: nil, priority: nil,
                    dirMatchesName: false, fileCount: stats.files, bytes: stats.bytes)
                if try Posix.lstatIfExists(qpath + "/.queue_name") != nil {
                    let bytes = try Posix.readSmallFile(qpath + "/.queue_name", limit: Self.nameFileLimit)
                    switch QueueNameFile.parse(bytes) {
                    case let .success(parsed):
                        queue.vhost = parsed.vhost
                        queue.name = parsed.queue
                        queue.indexVersion = parsed.indexVersion
                        queue.priority = parsed.priority
                        queue.dirMatchesName = RabbitDirectoryName.queue(vhost: parsed.vhost, queue: parsed.queue, priority: parsed.priority) == qdir
                    case let .failure(error):
                        throw WarrenError.invalidBackup(path: qpath + "/.queue_name", reason: "is malformed: \(error.reason)")
                    }
                }
                if stats.kinds.contains(.qi) || stats.kinds.contains(.qs) {
                    queue.indexVersion = 2
                } else if queue.indexVersion == nil, stats.kinds.contains(.idx) || stats.kinds.contains(.journal) {
                    queue.indexVersion = 1
                }
                queues.append(queue)
            }
        }
        return StoreScan(vhosts: vhosts, queues: queues, files: files)
    }

    /// `{segment_entry_count, N}.` from a vhost's `.config`.
    static func segmentEntryCount(in text: String) -> Int? {
        guard let range = text.range(of: #"\{\s*segment_entry_count\s*,\s*([0-9]+)\s*\}"#, options: .regularExpression)
        else { return nil }
        return Int(text[range].filter(\.isNumber))
    }
}
