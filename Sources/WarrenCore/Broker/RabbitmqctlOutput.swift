import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// What a failed `rabbitmqctl` call printed, made fit for one line of an error message.
///
/// rabbitmqctl's raw output is never passed on as it is: it holds ANSI escapes even when it
/// writes to a file, and a refused call prints 30 to 157 lines (diagnostics, usage text,
/// Erlang stack traces). The full text travels in the error for `--verbose` and the log.
enum RabbitmqctlOutput {
    /// `text` without ANSI escape sequences (CSI `ESC [ … final`, OSC `ESC ] … BEL`, and
    /// two-byte `ESC x`).
    static func strippingANSI(_ text: String) -> String {
        guard text.contains("\u{1B}") else { return text }
        var result = String.UnicodeScalarView()
        var scalars = text.unicodeScalars.makeIterator()
        while let scalar = scalars.next() {
            guard scalar == "\u{1B}" else { result.append(scalar); continue }
            switch scalars.next() {
            case "[":
                // Parameter and intermediate bytes, then one final byte in 0x40...0x7E.
                while let next = scalars.next(), !(0x40...0x7E).contains(next.value) {}
            case "]":
                while let next = scalars.next(), next != "\u{07}", next != "\u{1B}" {}
            default:
                break
            }
        }
        return String(result)
    }

    /// The one-line detail of a failed call: a known case said with its remedy (Debian's
    /// wrapper refusing the user, an unreadable Erlang cookie, a node that is down), else the
    /// first meaningful error line.
    static func detail(node: String, output: String, status: Int32, rabbitmqctl: String) -> String {
        if output.contains(refusedUserMarker) {
            return "\(rabbitmqctl) refuses to run as user \(currentUser) (Debian's rabbitmqctl accepts only root and rabbitmq); "
                + remedy
        }
        if let cookie = cookieProblem(output) {
            return "rabbitmqctl, running as user \(currentUser), cannot use the Erlang cookie (\(cookie)), so it cannot talk to the node; "
                + remedy
        }
        if let down = NodeDownDetection.detail(node: node, output: output) { return down }
        return summary(output) ?? "rabbitmqctl exited with status \(status) and printed nothing"
    }

    /// What to do when rabbitmqctl cannot run as this user.
    static let remedy = "run warren as root or as rabbitmq, or set WARREN_RABBITMQCTL (or --rabbitmqctl) to a command that runs "
        + "rabbitmqctl as one of them (e.g. a script running `exec sudo -u rabbitmq rabbitmqctl \"$@\"`)"

    /// Debian's /usr/sbin/rabbitmqctl, run by another user than root or rabbitmq.
    static let refusedUserMarker = "Only root or rabbitmq should run"

    /// "PATH: eacces" when the output is about an unreadable or uncreatable `.erlang.cookie`.
    static func cookieProblem(_ output: String) -> String? {
        guard let line = output.split(separator: "\n").first(where: { $0.contains(".erlang.cookie") }) else { return nil }
        let words = line.split(whereSeparator: { " '\"{}(),".contains($0) })
        guard let path = words.first(where: { $0.hasSuffix(".erlang.cookie") || $0.hasSuffix(".erlang.cookie:") }) else {
            return ".erlang.cookie"
        }
        let reasons = ["eacces", "enoent", "eperm", "erofs"]
        let reason = words.first(where: { reasons.contains(String($0)) })
        let file = path.hasSuffix(":") ? String(path.dropLast()) : String(path)
        return reason.map { "\(file): \($0)" } ?? file
    }

    /// The first meaningful error line: the first line saying "Error…" (with the line after
    /// a bare "Error:"), else the first line that is not part of a usage text; at most 300
    /// characters. Nil for empty output.
    static func summary(_ output: String) -> String? {
        let lines = output.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard !lines.isEmpty else { return nil }
        let printedUsage = lines.contains("Usage")
        var chosen: String?
        if let index = lines.firstIndex(where: { withoutLogPrefix($0).lowercased().hasPrefix("error") }) {
            let line = withoutLogPrefix(lines[index])
            let bare = line.trimmingCharacters(in: CharacterSet(charactersIn: ":")).lowercased() == "error"
            var next = index + 1
            var text = line
            if bare, next < lines.count { text = "Error: " + lines[next]; next += 1 }
            // import_definitions says "Error:" / "Validation failed" and gives the reason on the
            // following line (e.g. "… are not recognised policy settings"): keep it.
            if next < lines.count, Self.genericErrors.contains(text.lowercased()) { text += ": " + lines[next] }
            chosen = text
        } else if !printedUsage {
            chosen = lines[0]
        }
        var text = chosen ?? "rabbitmqctl rejected its command line"
        if printedUsage { text += " (it printed its usage text; see --verbose)" }
        return text.count > 300 ? String(text.prefix(299)) + "…" : text
    }

    /// Error lines that say nothing alone; the reason follows on the next line.
    private static let genericErrors: Set<String> = ["error: validation failed", "error: validation failed."]

    /// "04:26:40.488 [error] ERROR: …" → "ERROR: …" (Elixir's logger prefix).
    private static func withoutLogPrefix(_ line: String) -> String {
        guard let range = line.range(of: "] "), line.first?.isNumber == true, line.distance(from: line.startIndex, to: range.lowerBound) < 24 else {
            return line
        }
        return String(line[range.upperBound...])
    }

    /// The name of the effective user (the uid when it has none).
    static var currentUser: String {
        let uid = geteuid()
        guard let entry = getpwuid(uid), let name = entry.pointee.pw_name else { return "uid \(uid)" }
        return String(cString: name)
    }
}
