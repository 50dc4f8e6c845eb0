/// Objects (and their bytes) deleted, or that would be.
public struct FreedSpace: Sendable, Equatable, Codable {
    public var objects: Int
    public var bytes: Int64

    public init(objects: Int = 0, bytes: Int64 = 0) {
        self.objects = objects
        self.bytes = bytes
    }

    public static func + (a: FreedSpace, b: FreedSpace) -> FreedSpace {
        FreedSpace(objects: a.objects + b.objects, bytes: a.bytes + b.bytes)
    }
}
