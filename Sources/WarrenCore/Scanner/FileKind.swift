/// What a file under `msg_stores/` is, from its place in the layout.
public enum FileKind: String, Sendable, Codable, CaseIterable {
    /// `.vhost`, `.config`, `.queue_name`.
    case meta
    /// `recovery.dets`: per-queue recovery terms, written at a clean stop.
    case recovery
    /// `msg_store_persistent/N.rdq`: the shared message store.
    case rdq
    /// `msg_store_persistent/{clean.dot,file_summary.ets,msg_store_index.ets}`: written at a clean stop.
    case storeMeta = "store_meta"
    /// Anything under `msg_store_transient/`: wiped by the broker at start.
    case transient
    /// CQv1 index segment `N.idx`.
    case idx
    /// CQv1 `journal.jif`.
    case journal
    /// CQv2 index segment `N.qi`.
    case qi
    /// CQv2 per-queue store segment `N.qs`.
    case qs
    /// Anything Warren does not recognise; stored and restored as is.
    case other

    /// Classifies a path relative to `msg_stores/`, given as components.
    static func classify(_ components: [String]) -> FileKind {
        guard components.count >= 3, components[0] == "vhosts" else { return .other }
        let name = components[components.count - 1]
        switch (components.count, components[2]) {
        case (3, _):
            if name == ".vhost" || name == ".config" { return .meta }
            if name == "recovery.dets" { return .recovery }
            return .other
        case (_, "msg_store_transient"):
            return .transient
        case (4, "msg_store_persistent"):
            if name.hasSuffix(".rdq") { return .rdq }
            if ["clean.dot", "file_summary.ets", "msg_store_index.ets"].contains(name) { return .storeMeta }
            return .other
        case (5, "queues"):
            if name == ".queue_name" { return .meta }
            if name == "journal.jif" { return .journal }
            if isSegment(name, suffix: ".idx") { return .idx }
            if isSegment(name, suffix: ".qi") { return .qi }
            if isSegment(name, suffix: ".qs") { return .qs }
            return .other
        default:
            return .other
        }
    }

    private static func isSegment(_ name: String, suffix: String) -> Bool {
        name.hasSuffix(suffix) && name.dropLast(suffix.count).allSatisfy(\.isNumber) && name.count > suffix.count
    }
}
