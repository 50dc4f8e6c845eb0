/// A manifest path checked to stay inside the directory it is joined to: relative,
/// `/`-separated, no empty, `.` or `..` component, no NUL. Manifest paths come from the
/// catalog, which a hostile or corrupted repository could fill with anything.
struct SafeRelativePath: Sendable, Equatable {
    let components: [String]

    init(_ path: String) throws {
        let parts = path.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard !path.hasPrefix("/"), !parts.isEmpty,
              parts.allSatisfy({ !$0.isEmpty && $0 != "." && $0 != ".." && !$0.contains("\0") })
        else {
            throw WarrenError.stepFailed(step: "check manifest path", detail: "refusing path '\(path)': it could leave the target directory")
        }
        components = parts
    }

    var string: String { components.joined(separator: "/") }
}
