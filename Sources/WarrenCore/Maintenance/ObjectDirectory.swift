import Foundation

/// What `objects/` holds on disk: every file named like an object (64 hex digits in the
/// fan-out directory of its first two), and anything else found there.
struct ObjectDirectory {
    struct File {
        var id: ObjectID
        var size: Int64
    }

    var objects: [File] = []
    /// Paths under `objects/` that are not objects (never deleted by Warren).
    var unexpected: [String] = []

    static func scan(_ store: ObjectStore) throws -> ObjectDirectory {
        var result = ObjectDirectory()
        for fanout in try Posix.listDirectory(store.objectsPath) {
            let directory = store.objectsPath + "/" + fanout
            guard let st = try Posix.lstatIfExists(directory) else { continue }
            guard st.isDirectory, fanout.utf8.count == 2, isLowerHex(fanout) else {
                result.unexpected.append(directory)
                continue
            }
            for name in try Posix.listDirectory(directory) {
                let path = directory + "/" + name
                guard let file = try Posix.lstatIfExists(path) else { continue }
                if file.isRegular, name.utf8.count == 64, name.hasPrefix(fanout), isLowerHex(name), let id = ObjectID(hex: name) {
                    result.objects.append(File(id: id, size: file.size))
                } else {
                    result.unexpected.append(path)
                }
            }
        }
        return result
    }

    private static func isLowerHex(_ text: String) -> Bool {
        text.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
    }
}
