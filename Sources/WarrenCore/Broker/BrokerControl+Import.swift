import Foundation

#if canImport(Glibc)
import Glibc
#endif

extension BrokerControl {
    /// The version of the `rabbitmqctl` Warren runs (not the node's: a 3.10 CLI can drive a
    /// 4.0 node, and the CLI decides how definitions are handed over).
    public func cliVersion() throws -> BrokerVersion? {
        let text = try run(["version"], step: "ask rabbitmqctl for its version")
        return text.split(whereSeparator: \.isNewline).lazy.compactMap { BrokerVersion(String($0).trimmingCharacters(in: .whitespaces)) }.first
    }

    /// Imports `definitions` through a private file in `temporaryDirectory` (0600, owned by
    /// `owner`, removed on every path), handed over as `handOver` says. The broker applies
    /// it asynchronously.
    public func importDefinitions(_ definitions: [UInt8], handOver: DefinitionsHandOver, temporaryDirectory: String,
                                  owner: (uid: uid_t, gid: gid_t)?) throws {
        try DefinitionsHandOver.withPrivateFile(definitions, in: temporaryDirectory, owner: owner) { path in
            try run(handOver.arguments, step: "import definitions (\(handOver.rawValue))", stdinPath: path, timeout: timeouts.importDefinitions)
        }
    }
}
