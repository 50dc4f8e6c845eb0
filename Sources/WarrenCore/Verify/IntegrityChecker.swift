import Crypto
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Checks that every object a restore would read exists with its recorded size, and with
/// `full` re-reads each distinct object once, on every core, and checks its SHA-256.
final class IntegrityChecker: @unchecked Sendable {
    let objects: ObjectStore
    let input: VerifyInput
    let files: [VerifyInput.File]
    private(set) var objectCount = 0
    private(set) var byteCount: Int64 = 0

    init(objects: ObjectStore, input: VerifyInput, included files: [VerifyInput.File]) {
        self.objects = objects
        self.input = input
        self.files = files
    }

    func check(full: Bool, progress: ProgressHandler?) throws -> [Finding] {
        var byObject: [ObjectID: [VerifyInput.File]] = [:]
        for file in files { byObject[file.object, default: []].append(file) }
        let distinct = byObject.keys.sorted()
        objectCount = distinct.count
        byteCount = distinct.reduce(0) { $0 + (byObject[$1]!.first!.size) }

        var findings: [Finding] = []
        var present: [ObjectID] = []
        for id in distinct {
            let expected = byObject[id]!.first!.size
            let st = try? objects.find(id)
            if let st, st.isRegular, st.size == objects.storedSize(ofPlain: expected) {
                present.append(id)
            } else {
                let code: FindingCode = st == nil ? .objectMissing : .objectSizeMismatch
                let what = code == .objectMissing ? "is missing from the repository" : "has \(st!.size) bytes in the repository, \(objects.storedSize(ofPlain: expected)) expected (truncated or replaced)"
                findings += byObject[id]!.map { finding(code, file: $0, "object \(id.short)… \(what)") }
            }
        }
        guard full else { return findings }

        let tracker = ProgressTracker(phase: "verifying", bytesTotal: byteCount, filesTotal: present.count, handler: progress)
        let store = objects
        let sizes = present.map { byObject[$0]!.first!.size }
        let actual = try Parallel.map(Array(zip(present, sizes)), workers: Parallel.readBackWorkers,
                                      makeState: { IngestBuffer(capacity: 8 << 20) }) { item, buffer -> Outcome in
            defer { tracker.add(files: 1) }
            do {
                return .hashed(try Self.hash(item.0, in: store, buffer: buffer) { tracker.add(bytes: $0) })
            } catch let WarrenError.crypto(.decryptionFailed(_, _, failure)) {
                return .undecryptable(failure)
            } catch {
                return .unreadable
            }
        }
        for (id, outcome) in zip(present, actual) {
            let what: String
            switch outcome {
            case let .hashed(hashed) where hashed == id: continue
            case let .hashed(hashed): what = "is corrupt: its content hashes to \(hashed.short)…"
            case let .undecryptable(failure): what = "is corrupt: it cannot be decrypted (\(failure.description)); nothing of it was used"
            case .unreadable: what = "could not be read"
            }
            findings += byObject[id]!.map { finding(.objectCorrupt, file: $0, "object \(id.short)… \(what)") }
        }
        return findings
    }

    private func finding(_ code: FindingCode, file: VerifyInput.File, _ what: String) -> Finding {
        let queue = file.storeQueueID.flatMap { id in input.storedQueues.first { $0.id == id } }
        let vhost = queue?.vhost ?? file.storeVhostID.flatMap { id in input.storedVhosts.first { $0.id == id }?.name }
        var owner = ""
        if let name = queue?.name { owner = " of queue '\(name)' in vhost '\(vhost ?? "?")'" }
        else if let vhost { owner = " of vhost '\(vhost)'" }
        return Finding(code, vhost: vhost, queue: queue?.name, path: file.path, "file \(file.path)\(owner): \(what). Restore the object from another copy of the repository, or take a new backup")
    }

    /// What reading one object for `verify --full` found.
    enum Outcome {
        case hashed(ObjectID)
        case undecryptable(DecryptionFailure)
        case unreadable
    }

    /// The plain SHA-256 of the object's content (decrypted in an encrypted repository).
    static func hash(_ id: ObjectID, in store: ObjectStore, buffer: IngestBuffer, onBytes: (Int64) -> Void) throws -> ObjectID {
        var hasher = SHA256()
        let chunk = UnsafeMutableRawBufferPointer(rebasing: buffer.storage[0..<buffer.capacity])
        try store.read(id, chunk: chunk) { part in
            hasher.update(bufferPointer: part)
            onBytes(Int64(part.count))
        }
        return ObjectID(digest: hasher.finalize())
    }
}
