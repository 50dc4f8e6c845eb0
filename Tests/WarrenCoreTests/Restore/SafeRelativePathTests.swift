import Testing
@testable import WarrenCore

/// The one rule for paths that come from the catalog (issue 12 §3/§4).
@Suite struct SafeRelativePathTests {
    @Test(arguments: [
        ("vhosts/628WB79CIFDYO9LJI6DKMI09L/.vhost", ["vhosts", "628WB79CIFDYO9LJI6DKMI09L", ".vhost"]),
        ("definitions.json", ["definitions.json"]),
        ("a/..b/c..", ["a", "..b", "c.."]),
        ("a/.hidden/...", ["a", ".hidden", "..."]),
    ])
    func acceptsRelativePathsInside(path: String, components: [String]) throws {
        let safe = try SafeRelativePath(path)
        #expect(safe.components == components)
        #expect(safe.string == path)
        #expect(SafeRelativePath.problem(in: path) == nil)
    }

    @Test(arguments: [
        ("", SafeRelativePath.Problem.empty),
        ("/etc/passwd", .absolute),
        ("//x", .absolute),
        ("../x", .parentDirectory),
        ("a/../../x", .parentDirectory),
        ("vhosts/..", .parentDirectory),
        ("./x", .currentDirectory),
        ("a/./b", .currentDirectory),
        ("a//b", .emptyComponent),
        ("a/b/", .emptyComponent),
        ("a/\u{0}/b", .nul),
    ])
    func refusesPathsThatCouldLeave(path: String, problem: SafeRelativePath.Problem) {
        #expect(SafeRelativePath.problem(in: path) == problem)
        #expect(throws: WarrenError.invalidBackup(path: path, reason: "refused as a path from the catalog: \(problem)")) {
            try SafeRelativePath(path)
        }
    }

    @Test func directoryNamesAreOneComponent() {
        #expect(SafeRelativePath.problem(inName: "628WB79CIFDYO9LJI6DKMI09L") == nil)
        #expect(SafeRelativePath.problem(inName: "a/b") == .separator)
        #expect(SafeRelativePath.problem(inName: "../../etc") == .separator)
        #expect(SafeRelativePath.problem(inName: "/etc") == .absolute)
        #expect(SafeRelativePath.problem(inName: "..") == .parentDirectory)
        #expect(SafeRelativePath.problem(inName: ".") == .currentDirectory)
        #expect(SafeRelativePath.problem(inName: "") == .empty)
    }
}
