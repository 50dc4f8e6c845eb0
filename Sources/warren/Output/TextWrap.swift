/// Word-wraps text output to a width (``Table/defaultWidth`` unless `--wide`).
enum TextWrap {
    /// `text` broken at spaces into lines of at most `width` characters; continuation lines
    /// start with `indent`. A word longer than a line stays whole (a path is never split).
    static func wrap(_ text: String, width: Int, indent: String) -> [String] {
        let paragraphs = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard paragraphs.count == 1 else {
            return paragraphs.enumerated().flatMap { i, line in
                wrap((i == 0 ? "" : indent) + line.drop { $0 == " " }, width: width, indent: indent)
            }
        }
        var lines: [String] = []
        var current = ""
        for word in text.split(separator: " ", omittingEmptySubsequences: false) {
            let prefix = current.isEmpty ? (lines.isEmpty ? "" : indent) : current + " "
            if !current.isEmpty, prefix.count + word.count > width {
                lines.append(current)
                current = indent + word
            } else {
                current = prefix + word
            }
        }
        lines.append(current)
        return lines
    }
}
