import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Key files in a local directory (`REPO/keys/`), private to the owner: the directory is
/// 0700 and every key file 0400. A key file is written to a temporary name, fsynced, then
/// hard-linked to its final name (which fails rather than replace an existing file), and
/// the directory is fsynced.
public struct KeyDirectory: KeyFileStorage {
    public let path: String

    public init(path: String) { self.path = path }

    public var location: String { path }

    public func names() throws -> [String] {
        guard try Posix.lstatIfExists(path) != nil else { return [] }
        return try Posix.listDirectory(path).filter(Self.isKeyName)
    }

    /// Key files are named by the hex SHA-256 of their content; temporary files start with a dot.
    static func isKeyName(_ name: String) -> Bool {
        name.utf8.count == 64 && name.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
    }

    public func read(_ name: String) throws -> Data {
        let file = path + "/" + name
        let fd = try Posix.openForReading(file)
        defer { close(fd) }
        let st = try Posix.fstatOrThrow(fd, path: file)
        guard st.isRegular else {
            throw WarrenError.crypto(.keyFileInvalid(name: name, reason: "it is a \(st.typeName), not a regular file"))
        }
        guard st.size <= Int64(KeyFile.sizeLimit) else {
            throw WarrenError.crypto(.keyFileInvalid(name: name, reason: "it is \(st.size) bytes, too large"))
        }
        var bytes = [UInt8](repeating: 0, count: Int(st.size))
        let n = try bytes.withUnsafeMutableBytes { try Posix.readFully(fd, into: $0, path: file) }
        return Data(bytes[0..<n])
    }

    public func create(_ name: String, contents: Data) throws {
        precondition(Self.isKeyName(name), "key file names are 64 hex digits")
        try Posix.mkdirIfMissing(path, mode: 0o700)
        let temp = "\(path)/.\(name.prefix(16)).\(getpid()).\(UUID().uuidString).tmp"
        try Posix.createFsyncedFile(temp, contents, mode: 0o400)
        defer { unlink(temp) }
        let target = path + "/" + name
        guard link(temp, target) == 0 else { throw WarrenError.io(path: target, operation: "link", errno: errno) }
        try Posix.fsyncDirectory(path)
    }

    public func remove(_ name: String) throws {
        let target = path + "/" + name
        guard unlink(target) == 0 else { throw WarrenError.io(path: target, operation: "unlink", errno: errno) }
        try Posix.fsyncDirectory(path)
    }
}
