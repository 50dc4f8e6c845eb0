import Foundation

/// `import_definitions` returns before the broker has applied them (3.10: "this process is
/// asynchronous"). Files may only be copied once every vhost and durable queue exists.
enum DefinitionsWait {
    static func untilPresent(vhosts: [String], queues: [[String]], broker: BrokerControl, timeout: TimeInterval = 180) throws {
        let deadline = Date().addingTimeInterval(timeout)
        var missing: [String] = []
        repeat {
            let present = Set(try broker.vhosts())
            missing = vhosts.filter { !present.contains($0) }.map { "vhost '\($0)'" }
            if missing.isEmpty {
                var byVhost: [String: Set<String>] = [:]
                for vhost in Set(queues.map { $0[0] }) { byVhost[vhost] = Set(try broker.queues(vhost: vhost).map(\.name)) }
                missing = queues.filter { byVhost[$0[0]]?.contains($0[1]) != true }.map { "queue '\($0[1])' in vhost '\($0[0])'" }
            }
            if missing.isEmpty { return }
            Thread.sleep(forTimeInterval: 0.5)
        } while Date() < deadline
        throw WarrenError.stepFailed(step: "import definitions", detail: "after \(Int(timeout)) s the node still lacks \(missing.prefix(5).joined(separator: ", "))\(missing.count > 5 ? " and \(missing.count - 5) more" : ""); nothing was copied and the broker app was not stopped")
    }
}
