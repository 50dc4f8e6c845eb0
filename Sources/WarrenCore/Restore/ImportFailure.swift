import Foundation

/// Words a failed definitions import (or the wait for its result) as what it is: the node
/// may have been changed part-way (RabbitMQ creates vhosts and users before it validates
/// policies, and does not roll back). Compares the node with the snapshot taken before the
/// import and names every change with the command that undoes it (issue 16 §3).
enum ImportFailure {
    static func report(_ error: Error, before: TargetSnapshot, broker: BrokerControl, request: RestoreRequest,
                       definedVhosts: [String]) -> Error {
        let step = "the import of backup \(request.backupID)'s definitions"
        let untouched = "No message data was touched: no vhost directory was moved aside or written, and the broker app was not stopped"
        var changes: [String] = []
        var undo: [String] = []
        let after = Result { try TargetSnapshot.take(broker, vhosts: definedVhosts) }
        switch after {
        case let .success(snapshot):
            let found = snapshot.changes(since: before, node: request.node)
            changes = found.map(\.what)
            undo = found.map(\.undo)
            if !found.isEmpty {
                changes.append("exchanges, bindings, policies, parameters and permissions of the backup may also have been added to vhost(s) \(definedVhosts.map { "'\($0)'" }.joined(separator: ", ")) (`rabbitmqctl list_exchanges -p VHOST`, `list_policies -p VHOST` show them)")
            }
        case let .failure(listing):
            changes = ["unknown: the node could not be asked what the import changed (\(listing)); vhosts, users, queues, exchanges, bindings and policies of the backup may have been created"]
        }
        changes.append(untouched)
        if !undo.isEmpty { undo.append("then fix the definitions (or the node) and run the restore again") }
        if case let .interrupted(detail)? = error as? WarrenError {
            return WarrenError.interrupted(detail: "\(detail) during \(step). Changed on \(request.node): " + changes.joined(separator: "; ")
                                           + (undo.isEmpty ? "" : ". Undo: " + undo.joined(separator: "; ")))
        }
        return WarrenError.targetChanged(node: request.node, step: step, detail: "\(error)", changes: changes, undo: undo)
    }
}
