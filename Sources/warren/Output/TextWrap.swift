/// Word-wraps text output to a width (``Table/defaultWidth`` unless `--wide`).
enum TextWrap {
    /// `text` broken at spaces into lines of at most `width` characters; continuation lines
    /// start with `indent`. A word longer than a line stays whole (a path is never split).
    static func wrap(_ text: String, width: Int, indent: String) -> [String] {
        let paragraphs = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard paragraphs.count == 1 else {
            return paragraphs.enumerated().flatMap { i, line in
                wrap(i == 0 ? String(line) : indent + line.drop { $0 == " " }, width: width, indent: indent)
            }
        }
        var lines: [String] = []
        var current: String?
        for word in text.split(separator: " ", omittingEmptySubsequences: false) {
            guard let line = current else {
                current = String(word)
                continue
            }
            // Break only after a real word, never after leading spaces or the indent alone.
            if line.count + 1 + word.count > width, line.contains(where: { $0 != " " }) {
                lines.append(line)
                current = indent + word
            } else {
                current = line + " " + word
            }
        }
        lines.append(current ?? "")
        return lines
    }
}
