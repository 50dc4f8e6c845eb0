/// Compares every queue's restored message count with the count expected at backup time.
enum PostCheck {
    static func compare(plan: RestorePlan, expected: [[String]: (type: String?, messages: Int)], broker: BrokerControl) throws -> [RestoreResult.QueueCheck] {
        var restored: [[String]: BrokerControl.QueueInfo] = [:]
        let restoredVhosts = Set(plan.vhosts.compactMap(\.name))
        for vhost in try broker.vhosts() where restoredVhosts.contains(vhost) || expected.keys.contains(where: { $0[0] == vhost }) {
            for queue in try broker.queues(vhost: vhost) { restored[[vhost, queue.name]] = queue }
        }
        let excluded = Set(plan.excluded.compactMap { q in q.vhost.flatMap { v in q.name.map { [v, $0] } } })
        var planned: [[String]: Int?] = [:]
        for vhost in plan.vhosts {
            for q in vhost.queues {
                guard let v = q.vhost, let n = q.name else { continue }
                // A priority queue's levels add up; one level not counted leaves the sum unknown.
                if q.priority != nil, let seen = planned[[v, n]] {
                    planned[[v, n]] = seen.flatMap { a in q.expectedMessages.map { a + $0 } }
                } else {
                    planned[[v, n]] = q.expectedMessages
                }
            }
        }
        let keys = Set(expected.keys).union(planned.keys).union(excluded).sorted { $0.lexicographicallyPrecedes($1) }
        return keys.map { key in
            let want = expected[key]?.messages ?? planned[key] ?? nil
            let got = restored[key]?.messages
            let type = restored[key]?.type ?? expected[key]?.type
            let status: String
            if excluded.contains(key) {
                status = "excluded"
            } else if let type, type != "classic" {
                status = "definition_only"
            } else if got == nil {
                status = "missing"
            } else if let want {
                status = got! < want ? "short" : (got! > want ? "more" : "ok")
            } else {
                status = "unknown"
            }
            return .init(vhost: key[0], queue: key[1], expected: want, restored: got, status: status)
        }
    }
}
