import Foundation
import Testing
@testable import WarrenCore

/// The pack index document (``PackIndex``) and the names of packs (``StorageName``): what a
/// reader accepts and what it refuses, by the error it names.
@Suite struct PackIndexTests {
    static let pack = String(repeating: "ab", count: 32)
    static let object = String(repeating: "cd", count: 32)

    @Test func roundTripsAndIsChecksummed() throws {
        let index = PackIndex(pack: Self.pack, packSize: 100, members: [.init(object: Self.object, offset: 10, length: 90)])
        let bytes = try index.encoded()
        #expect(String(decoding: bytes.prefix(24), as: UTF8.self).hasPrefix("warren-pack-index v1 "))
        #expect(try PackIndex.decode(bytes, name: "pack-indexes/x", expectedPack: Self.pack) == index)

        var flipped = bytes
        flipped[flipped.count - 3] ^= 1
        #expect(throws: WarrenError.self) { try PackIndex.decode(flipped, name: "pack-indexes/x", expectedPack: Self.pack) }
    }

    @Test func refusesAnotherPacksIndexAndMembersOutsideThePack() throws {
        let index = PackIndex(pack: Self.pack, packSize: 100, members: [.init(object: Self.object, offset: 10, length: 90)])
        do {
            _ = try PackIndex.decode(try index.encoded(), name: "pack-indexes/other", expectedPack: Self.object)
            Issue.record("an index under another pack's name was accepted")
        } catch let WarrenError.io(path, operation, _) {
            #expect(path == "pack-indexes/other" && operation.contains("index of pack \(Self.pack)"), "\(operation)")
        }
        let outside = PackIndex(pack: Self.pack, packSize: 50, members: [.init(object: Self.object, offset: 10, length: 90)])
        do {
            _ = try PackIndex.decode(try outside.encoded(), name: "pack-indexes/x", expectedPack: Self.pack)
            Issue.record("a member outside its pack was accepted")
        } catch let WarrenError.io(_, operation, _) {
            #expect(operation.contains("object \(Self.object)") && operation.contains("outside the pack"), "\(operation)")
        }
    }

    @Test func packAndObjectNames() {
        #expect(StorageName.pack(Self.pack).path == "packs/" + Self.pack)
        #expect(StorageName.packIndex(Self.pack).path == "pack-indexes/" + Self.pack)
        #expect(StorageName.pack(Self.pack).packID == Self.pack && StorageName.packIndex(Self.pack).packID == Self.pack)
        #expect(StorageName.pack("not-hex").packID == nil && StorageName.config.packID == nil)
        let id = ObjectID(hex: Self.object)!
        #expect(StorageName.object(id).objectHex == Self.object)
        #expect(StorageName.manifest(backupID: 1).objectHex == nil)
    }
}
