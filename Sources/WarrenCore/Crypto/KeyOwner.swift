import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The host and user recorded in a new key file (restic records the same), so that
/// `key list` says where each password was added.
public struct KeyOwner: Sendable, Equatable {
    public var host: String
    public var user: String

    public init(host: String, user: String) {
        self.host = host
        self.user = user
    }

    /// This process's host name and effective user.
    public static var current: KeyOwner {
        var name = [CChar](repeating: 0, count: 256)
        let host = gethostname(&name, name.count) == 0
            ? String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self) : "unknown"
        let user: String
        if let entry = getpwuid(geteuid()), let pw = entry.pointee.pw_name {
            user = String(cString: pw)
        } else {
            user = "uid \(geteuid())"
        }
        return KeyOwner(host: host, user: user)
    }
}
