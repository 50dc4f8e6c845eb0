/// What will not come back although the source had it (issue 16 §2, §3): the broker's counts
/// just before the copy against what the stored index holds, exchanges stop_app dropped, and
/// bindings whose exchange is missing from the definitions.
struct LossChecker {
    let input: VerifyInput
    let exclusions: Exclusions

    func check() -> [Finding] {
        bindingFindings() + surveyFindings()
    }

    private func surveyFindings() -> [Finding] {
        guard let survey = input.survey else {
            // A registered copy (or an older backup) has no broker figures to compare.
            return [Finding(.transientUnknown, "no broker figures were recorded before this copy (registered from a manual copy, or taken without the survey): transient messages, non-durable, exclusive and auto-delete queues that stop_app dropped on the source cannot be known. `warren backup --stop-app` records them")]
        }
        var stored: [[String]: Int] = [:]
        for q in input.storedQueues {
            guard let v = q.vhost, let n = q.name else { continue }
            stored[[v, n], default: 0] += q.messages ?? 0
        }
        var findings: [Finding] = []
        for q in survey.queues where q.type == "classic" {
            if exclusions.excludes(vhost: q.vhost) || exclusions.glob(excluding: q.name) != nil { continue }
            let held = stored[[q.vhost, q.name]] ?? 0
            guard q.messages > held else { continue }
            let why = q.exclusive ? "an exclusive queue, deleted by stop_app" : !q.durable ? "a non-durable queue, deleted by stop_app"
                : q.autoDelete ? "an auto-delete queue, deleted by stop_app" : "transient messages, dropped by stop_app"
            findings.append(Finding(.messagesNotBackedUp, vhost: q.vhost, queue: q.name, "queue '\(q.name)' in vhost '\(q.vhost)' held \(q.messages) messages when the backup was taken, the backup holds \(held): \(q.messages - held) will not come back (\(why))"))
        }
        for e in survey.exchanges where !e.durable && !exclusions.excludes(vhost: e.vhost) {
            findings.append(Finding(.exchangeNotDurable, vhost: e.vhost, "exchange '\(e.name)' in vhost '\(e.vhost)' was not durable: stop_app deleted it and its bindings, it will not come back"))
        }
        return findings
    }

    /// Every binding's source exchange, and an exchange destination, must be in the
    /// definitions (`amq.*` and the default exchange exist in every vhost).
    private func bindingFindings() -> [Finding] {
        let recordedInternal = Set((input.survey?.exchanges ?? []).filter { $0.internal && $0.durable }.map { [$0.vhost, $0.name] })
        var findings: [Finding] = []
        var added = Set<[String]>()
        for b in input.bindings where !exclusions.excludes(vhost: b.vhost) {
            // The source exchange, and the destination of an exchange-to-exchange binding.
            let ends = [b.source] + (b.destinationType == "exchange" ? [b.destination] : [])
            for name in ends where !name.isEmpty && !name.hasPrefix("amq.") {
                let key = [b.vhost, name]
                if input.definedExchanges.contains(key) { continue }
                if recordedInternal.contains(key) {
                    if added.insert(key).inserted {
                        findings.append(Finding(.internalExchangeAdded, vhost: b.vhost, "internal exchange '\(name)' in vhost '\(b.vhost)' is not in the exported definitions (export_definitions leaves internal exchanges out); the backup recorded it, and restore adds it before import so its bindings come back"))
                    }
                    continue
            }
            findings.append(Finding(.bindingExchangeMissing, vhost: b.vhost, "binding from exchange '\(b.source)' to \(b.destinationType) '\(b.destination)' in vhost '\(b.vhost)': exchange '\(name)' is not in the definitions (an internal exchange, which export_definitions leaves out?). RabbitMQ 3.10 drops the binding on import, 4.x fails the import part-way. Take the backup with `warren backup`, which records internal exchanges, or add the exchange to the definitions"))
            }
        }
        return findings
    }
}
