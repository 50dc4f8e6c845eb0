/// A RabbitMQ version such as `3.10.8` or `4.1.0-rc.1`, compared numerically.
public struct BrokerVersion: Sendable, Comparable, CustomStringConvertible {
    public let components: [Int]
    public let text: String

    /// Nil unless the text starts with `MAJOR.MINOR`.
    public init?(_ text: String) {
        let core = text.prefix { $0.isNumber || $0 == "." }
        let parts = core.split(separator: ".", omittingEmptySubsequences: false).map { Int($0) }
        guard parts.count >= 2, parts.allSatisfy({ $0 != nil }) else { return nil }
        components = parts.map { $0! } + Array(repeating: 0, count: max(0, 3 - parts.count))
        self.text = text
    }

    public var description: String { text }

    public static func < (lhs: BrokerVersion, rhs: BrokerVersion) -> Bool {
        lhs.components.lexicographicallyPrecedes(rhs.components)
    }

    public static func == (lhs: BrokerVersion, rhs: BrokerVersion) -> Bool {
        lhs.components == rhs.components
    }

    public func atLeast(_ major: Int, _ minor: Int) -> Bool {
        !(self < BrokerVersion("\(major).\(minor).0")!)
    }
}
