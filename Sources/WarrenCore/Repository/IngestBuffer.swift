/// A reusable read buffer owned by one ingest worker. Files up to ``capacity`` are read
/// whole, hashed, and written only if their object is missing; larger ones are streamed.
final class IngestBuffer {
    static let defaultCapacity = 32 << 20
    static let stagingCapacity = 4 << 20

    let capacity: Int
    let storage: UnsafeMutableRawBufferPointer
    private var stagingStorage: UnsafeMutableRawBufferPointer?

    init(capacity: Int = IngestBuffer.defaultCapacity) {
        self.capacity = capacity
        // One byte more than the capacity tells "exactly full" from "longer than the buffer".
        storage = .allocate(byteCount: capacity + 1, alignment: 4096)
    }

    /// Where sealed bytes gather on their way to a file written with O_DIRECT
    /// (``DirectFileWriter``): 4 KiB-aligned, apart from ``storage``, which holds the
    /// plaintext being sealed. Made on first use: only writers of local objects need it.
    var staging: UnsafeMutableRawBufferPointer {
        if let stagingStorage { return stagingStorage }
        let made = UnsafeMutableRawBufferPointer.allocate(byteCount: Self.stagingCapacity, alignment: Posix.directAlignment)
        stagingStorage = made
        return made
    }

    deinit {
        storage.deallocate()
        stagingStorage?.deallocate()
    }
}
