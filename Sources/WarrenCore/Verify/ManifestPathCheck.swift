/// The one path validator (issue 12 §3): every manifest path of a backup, and the directory
/// name of every stored vhost and queue, must stay inside the directory it is written
/// under (``SafeRelativePath``). `verify` reports each offender as an `unsafe_path` error,
/// `restore` (also `--dry-run`) refuses with exit 9 before touching the node, and `export`
/// refuses before writing anything.
enum ManifestPathCheck {
    static func findings(_ input: VerifyInput) -> [Finding] {
        let advice = "the catalog is damaged or was tampered with (Warren never records such a path): restore catalog.sqlite from a copy, or take a new backup"
        var findings: [Finding] = []
        for vhost in input.storedVhosts {
            if let problem = SafeRelativePath.problem(inName: vhost.dirName) {
                findings.append(Finding(.unsafePath, vhost: vhost.name, path: vhost.dirName,
                                        "stored vhost directory name '\(vhost.dirName)' is refused: \(problem); \(advice)"))
            }
        }
        for queue in input.storedQueues {
            if let problem = SafeRelativePath.problem(inName: queue.dirName) {
                findings.append(Finding(.unsafePath, vhost: queue.vhost, queue: queue.name, path: queue.dirName,
                                        "stored queue directory name '\(queue.dirName)' is refused: \(problem); \(advice)"))
            }
        }
        for file in input.files {
            if let problem = SafeRelativePath.problem(in: file.path) {
                findings.append(Finding(.unsafePath, path: file.path, "manifest path '\(file.path)' is refused: \(problem); \(advice)"))
            }
        }
        return findings
    }
}
