import Foundation

/// The index of one pack (`pack-indexes/<id>` for `packs/<id>`, ``PackedStorage``): which
/// objects the pack holds, each at an offset and with a length. Framed as every Warren
/// document (``ChecksummedDocument``, kind `warren-pack-index`), and sealed like the other
/// documents in an encrypted repository (the names are keyed ids there, never plain digests).
///
/// It is written after its pack, so an index never names a pack that is not there. Once
/// written it only ever shrinks: `gc`, under the bucket's lock, rewrites it without the
/// objects it deleted, and deletes it (then the pack) when nothing is left.
public struct PackIndex: Codable, Sendable, Equatable {
    /// One object in the pack.
    public struct Member: Codable, Sendable, Equatable {
        /// The stored object id (64 hex digits): the name `objects/ab/<object>` lists it under.
        public var object: String
        /// Where it starts in the pack.
        public var offset: Int64
        /// Its stored size (sealed, in an encrypted repository).
        public var length: Int64

        public init(object: String, offset: Int64, length: Int64) {
            self.object = object
            self.offset = offset
            self.length = length
        }
    }

    /// The pack's id: the SHA-256 of its content, 64 hex digits.
    public var pack: String
    /// The pack's size in bytes.
    public var packSize: Int64
    /// Its live objects, in pack order.
    public var members: [Member]

    public init(pack: String, packSize: Int64, members: [Member]) {
        self.pack = pack
        self.packSize = packSize
        self.members = members
    }

    static let kind = "warren-pack-index"
    static let version = 1

    /// The document's bytes (header line and JSON body).
    func encoded() throws -> [UInt8] {
        try ChecksummedDocument.encode(self, kind: Self.kind, version: Self.version)
    }

    /// Reads a stored index; `name` is where it was read from, for the error.
    /// - Throws: ``WarrenError/io(path:operation:errno:)`` (`EIO`) naming the index when it
    ///   is damaged, or when it is not the index of the pack its name says.
    static func decode(_ bytes: [UInt8], name: String, expectedPack: String) throws -> PackIndex {
        let index: PackIndex
        do {
            index = try ChecksummedDocument.decode(PackIndex.self, from: bytes, kind: kind, knownVersion: version)
        } catch let damage as ChecksummedDocument.Damage {
            throw WarrenError.io(path: name, operation: "read pack index (\(damage))", errno: EIO)
        }
        guard index.pack == expectedPack else {
            throw WarrenError.io(path: name, operation: "read pack index (it is the index of pack \(index.pack))", errno: EIO)
        }
        for member in index.members where member.offset < 0 || member.length < 0 || member.offset + member.length > index.packSize {
            throw WarrenError.io(path: name, operation: "read pack index (object \(member.object) at \(member.offset)+\(member.length) lies outside the pack's \(index.packSize) bytes)", errno: EIO)
        }
        return index
    }
}
