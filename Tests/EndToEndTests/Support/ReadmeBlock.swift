import Foundation

/// One fenced code block of README.md, as ReadmeEndToEndTests reads them.
///
/// The README's convention: every fence names its kind (` ```sh `, ` ```text `, ` ```conf `,
/// ` ```json `). ` ```sh ` blocks are commands an operator types, and the test runs them in
/// document order; one that cannot run here has `<!-- not-run: reason -->` on the line
/// just before its fence. ` ```conf ` blocks are configuration files that Warren must accept.
struct ReadmeBlock {
    /// 1-based line of the opening fence.
    var line: Int
    /// The fence's info string (`sh`, `text`, …; empty for a bare fence).
    var kind: String
    var text: String
    /// The reason of a `<!-- not-run: reason -->` marker just before the fence.
    var notRun: String?
    /// A not-run marker that is malformed (no reason), kept to be reported.
    var badMarker: String?

    static let markerPrefix = "<!-- not-run:"

    /// Every fenced block of `markdown`; an unclosed fence throws.
    static func parse(_ markdown: String) throws -> [ReadmeBlock] {
        let lines = markdown.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var blocks: [ReadmeBlock] = []
        var index = 0
        while index < lines.count {
            let line = lines[index]
            guard line.hasPrefix("```") else { index += 1; continue }
            let kind = line.dropFirst(3).trimmingCharacters(in: .whitespaces)
            var previous = index - 1
            while previous >= 0, lines[previous].trimmingCharacters(in: .whitespaces).isEmpty { previous -= 1 }
            var notRun: String?, badMarker: String?
            if previous >= 0, lines[previous].hasPrefix(markerPrefix) {
                let marker = lines[previous]
                let reason = marker.dropFirst(markerPrefix.count).replacingOccurrences(of: "-->", with: "").trimmingCharacters(in: .whitespaces)
                if marker.hasSuffix("-->") && !reason.isEmpty { notRun = reason } else { badMarker = marker }
            }
            guard let close = lines[(index + 1)...].firstIndex(where: { $0.hasPrefix("```") }) else {
                throw ReadmeError(line: index + 1, message: "unclosed code fence")
            }
            blocks.append(ReadmeBlock(line: index + 1, kind: kind, text: lines[(index + 1)..<close].joined(separator: "\n") + "\n",
                                      notRun: notRun, badMarker: badMarker))
            index = close + 1
        }
        return blocks
    }
}

struct ReadmeError: Error, CustomStringConvertible {
    var line: Int
    var message: String
    var description: String { "README.md:\(line): \(message)" }
}
