/// What the target node would do to the backup's definitions (issue 15): a vhost whose
/// `default_queue_type` would turn classic queues into quorum queues, and classic mirroring
/// (`ha-*` policy keys, `x-ha-*` queue arguments) against RabbitMQ 4.x, which removed it.
struct TargetChecker {
    let input: VerifyInput
    let exclusions: Exclusions
    let targetVersion: BrokerVersion?
    /// The target node's vhosts (`--target-node`); nil when the node was not asked.
    let targetVhosts: [TargetVhost]?

    func check() -> [Finding] { defaultTypeFindings() + mirroringFindings() }

    /// Classic queues without `x-queue-type` take the default type of the vhost they are
    /// imported into: the target's when the vhost exists there, else the backup's own.
    private func defaultTypeFindings() -> [Finding] {
        guard let targetVhosts else { return [] }
        let target = Dictionary(targetVhosts.map { ($0.name, $0.defaultQueueType) }, uniquingKeysWith: { a, _ in a })
        var byVhost: [String: [String]] = [:]
        for (key, queue) in input.definedQueues where queue.type == "classic" && !queue.explicitType && !exclusions.excludes(vhost: key[0]) {
            byVhost[key[0], default: []].append(key[1])
        }
        return byVhost.keys.sorted().compactMap { vhost -> Finding? in
            let exists = target.keys.contains(vhost)
            guard let type = exists ? target[vhost] ?? nil : input.vhostDefaultTypes[vhost] ?? nil, type != "classic" else { return nil }
            let names = byVhost[vhost]!.sorted()
            let listed = names.prefix(10).map { "'\($0)'" }.joined(separator: ", ") + (names.count > 10 ? " and \(names.count - 10) more" : "")
            let whose = exists ? "the target's vhost '\(vhost)' has" : "vhost '\(vhost)' (not on the target; its definition) has"
            return Finding(.defaultQueueTypeChanges, vhost: vhost,
                           "\(whose) default_queue_type \(type): \(names.count) classic queue(s) defined without x-queue-type (\(listed)) would be declared as \(type) by a plain import_definitions, and their classic data orphaned and deleted at boot. `warren restore` imports every classic queue with x-queue-type: classic explicit (classic type pinning), so it keeps them classic; do not import these definitions by hand")
        }
    }

    private func mirroringFindings() -> [Finding] {
        guard let targetVersion, targetVersion >= BrokerVersion("4.0.0")! else { return [] }
        var findings: [Finding] = []
        for policy in input.policies where !exclusions.excludes(vhost: policy.vhost) && !policy.mirroringKeys.isEmpty {
            let rest = policy.otherKeys
            findings.append(Finding(.mirroringPolicyRemoved, vhost: policy.vhost,
                "policy '\(policy.name)' holds \(policy.mirroringKeys.joined(separator: ", ")) (classic queue mirroring), which RabbitMQ \(targetVersion) removed: its import_definitions refuses the whole file for it, after creating vhosts and users. `warren restore` takes those keys out before the import and " + (rest.isEmpty ? "drops the policy (nothing else is in it)" : "keeps \(rest.joined(separator: ", "))") + "; the queues it matched come back unmirrored"))
        }
        for (key, queue) in input.definedQueues.sorted(by: { ($0.key[0], $0.key[1]) < ($1.key[0], $1.key[1]) })
            where !queue.mirroringArguments.isEmpty && !exclusions.excludes(vhost: key[0]) {
            findings.append(Finding(.mirroringArgumentIgnored, vhost: key[0], queue: key[1],
                "queue '\(key[1])' has \(queue.mirroringArguments.joined(separator: ", ")) (classic mirroring arguments): RabbitMQ \(targetVersion) accepts and ignores them (checked on 4.0.5), so the queue comes back unmirrored; restore keeps the arguments as they are"))
        }
        return findings
    }
}
