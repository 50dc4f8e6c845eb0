/// A plain text table: a header row, columns padded to their widest cell.
struct Table {
    enum Alignment { case left, right }

    var columns: [(title: String, alignment: Alignment)]
    var rows: [[String]] = []

    init(_ columns: [(String, Alignment)]) {
        self.columns = columns.map { (title: $0.0, alignment: $0.1) }
    }

    mutating func add(_ row: [String]) {
        rows.append(row)
    }

    /// The default width of text output: tables and wrapped lines fit 80 columns.
    static let defaultWidth = 80

    /// The table; with `maxWidth`, cells of column `shrinking` are cut (ending in `…`) so that
    /// every line fits, as far as that column can give way.
    func render(maxWidth: Int? = nil, shrinking: Int? = nil) -> String {
        var widths = columns.map { $0.title.count }
        for row in rows {
            for (i, cell) in row.enumerated() where i < widths.count { widths[i] = max(widths[i], cell.count) }
        }
        if let maxWidth, let shrinking, shrinking < widths.count {
            let total = widths.reduce(0, +) + 2 * (widths.count - 1)
            if total > maxWidth {
                widths[shrinking] = max(columns[shrinking].title.count, widths[shrinking] - (total - maxWidth))
            }
        }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { i, raw in
                let cell = raw.count > widths[i] ? String(raw.prefix(max(0, widths[i] - 1))) + "…" : raw
                let pad = String(repeating: " ", count: max(0, widths[i] - cell.count))
                return columns[i].alignment == .right ? pad + cell : (i == cells.count - 1 ? cell : cell + pad)
            }.joined(separator: "  ")
        }
        return ([line(columns.map(\.title))] + rows.map(line)).joined(separator: "\n")
    }
}
