/// What a sealed envelope holds. The kind is written into every envelope's header and
/// authenticated with every chunk, so an object cannot be read back as another kind
/// (a msg_stores file as a manifest, say) even by a bug in the caller.
public enum SealedKind: UInt8, Sendable, CaseIterable, Codable, CustomStringConvertible {
    /// The content of one `msg_stores` file.
    case file = 1
    /// A definitions export (holds password hashes).
    case definitions = 2
    /// A backup's manifest document.
    case manifest = 3
    /// A repository state document (pins, labels, policies, schedules, verdicts).
    case state = 4
    /// The header or index of a pack of small objects.
    case packIndex = 5
    /// A repository configuration document.
    case config = 6

    public var description: String {
        switch self {
        case .file: return "file"
        case .definitions: return "definitions"
        case .manifest: return "manifest"
        case .state: return "state"
        case .packIndex: return "pack_index"
        case .config: return "config"
        }
    }
}
