import Foundation

/// What a target node holds that a definitions import adds to: its vhosts, its users, and
/// the queues of the vhosts the restore defines. Taken before the import and again when a
/// step fails after it, so the error says exactly what the restore changed on the node and
/// how to undo it (issue 16 §3).
struct TargetSnapshot: Sendable, Equatable {
    var vhosts: Set<String>
    var users: Set<String>
    /// [vhost, queue] of the restored vhosts that exist on the node.
    var queues: Set<[String]>

    /// Asks the running node. `vhosts` are the vhosts the restore defines.
    static func take(_ broker: BrokerControl, vhosts restored: [String]) throws -> TargetSnapshot {
        let present = Set(try broker.vhosts())
        let users = try broker.listJSON(["list_users"], step: "list users").compactMap { $0["user"] as? String }
        var queues = Set<[String]>()
        for vhost in restored where present.contains(vhost) {
            for q in try broker.queues(vhost: vhost) { queues.insert([vhost, q.name]) }
        }
        return TargetSnapshot(vhosts: present, users: Set(users), queues: queues)
    }

    /// One change found between `before` and this snapshot, with the command that undoes it.
    struct Change: Sendable, Equatable {
        var what: String
        var undo: String
    }

    /// What appeared since `before`, in a stable order: vhosts (with everything in them),
    /// users, then queues declared in vhosts that existed already.
    func changes(since before: TargetSnapshot, node: String) -> [Change] {
        let ctl = "rabbitmqctl -n \(Self.quoted(node))"
        let newVhosts = vhosts.subtracting(before.vhosts).sorted()
        var result = newVhosts.map {
            Change(what: "vhost '\($0)' was created (with whatever the import put in it)", undo: "\(ctl) delete_vhost \(Self.quoted($0))")
        }
        result += users.subtracting(before.users).sorted().map {
            Change(what: "user '\($0)' was created", undo: "\(ctl) delete_user \(Self.quoted($0))")
        }
        let created = Set(newVhosts)
        result += queues.subtracting(before.queues).filter { !created.contains($0[0]) }.sorted { ($0[0], $0[1]) < ($1[0], $1[1]) }.map {
            Change(what: "queue '\($0[1])' was declared in vhost '\($0[0])'", undo: "\(ctl) delete_queue -p \(Self.quoted($0[0])) \(Self.quoted($0[1]))")
        }
        return result
    }

    /// A shell word: plain names as they are, anything else in single quotes.
    static func quoted(_ word: String) -> String {
        if !word.isEmpty, word.allSatisfy({ $0.isLetter || $0.isNumber || "@._-/:".contains($0) }) { return word }
        return "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
