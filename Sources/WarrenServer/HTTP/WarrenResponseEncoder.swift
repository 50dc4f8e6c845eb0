import Foundation
import Hummingbird
import NIOCore
import WarrenCore

/// Encodes every answer exactly as the CLI's `--json` (``WarrenJSON/encoder()``), followed by
/// a newline, as `application/json`.
public struct WarrenResponseEncoder: ResponseEncoder {
    /// One encoder for every answer: its settings never change after this, and encode(_:)
    /// keeps no state between calls, so sharing it across event-loop threads is safe.
    private static let encoder = WarrenJSON.encoder()

    public init() {}

    public func encode(_ value: some Encodable, from request: Request, context: some RequestContext) throws -> Response {
        var data = if let summaries = value as? [BackupSummary] { SummaryPageJSON.encode(summaries) } else { try Self.encoder.encode(value) }
        data.append(0x0A)
        return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
