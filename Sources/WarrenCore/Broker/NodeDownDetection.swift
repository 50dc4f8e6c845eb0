/// Recognises rabbitmqctl's answer for a node that is not running, so that Warren says so in
/// one line instead of passing on its 30 lines of diagnostics.
enum NodeDownDetection {
    /// rabbitmqctl (3.x and 4.x) prints this in its DIAGNOSTICS when epmd knows no such node.
    static let marker = "not running at all"

    /// The one-line detail for a `.broker` error when `output` says the node is down, else nil.
    static func detail(node: String, output: String) -> String? {
        guard output.contains(marker) else { return nil }
        return "the node is not running (epmd on its host knows no node \(node)); start it first "
            + "(`systemctl start rabbitmq-server` for the Debian service, or `rabbitmq-server -detached` for a node of your own), then retry"
    }
}
