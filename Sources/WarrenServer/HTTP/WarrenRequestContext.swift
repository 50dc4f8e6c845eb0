import Hummingbird
import Logging
import NIOCore

/// The request context of every `/v1` route: answers are encoded as the CLI's `--json`
/// (``WarrenResponseEncoder``) and bodies are read strictly (``StrictRequestDecoder``), so
/// handlers return `Encodable` values and call `request.decode(as:context:)`.
public struct WarrenRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
    }

    /// Largest accepted body; larger ones get 413 `body_too_large`.
    public var maxUploadSize: Int { 64 * 1024 }
    public var requestDecoder: StrictRequestDecoder { StrictRequestDecoder() }
    public var responseEncoder: WarrenResponseEncoder { WarrenResponseEncoder() }
}
