/// A reusable read buffer owned by one ingest worker. Files up to ``capacity`` are read
/// whole, hashed, and written only if their object is missing; larger ones are streamed.
final class IngestBuffer {
    static let defaultCapacity = 32 << 20

    let capacity: Int
    let storage: UnsafeMutableRawBufferPointer

    init(capacity: Int = IngestBuffer.defaultCapacity) {
        self.capacity = capacity
        // One byte more than the capacity tells "exactly full" from "longer than the buffer".
        storage = .allocate(byteCount: capacity + 1, alignment: 4096)
    }

    deinit { storage.deallocate() }
}
