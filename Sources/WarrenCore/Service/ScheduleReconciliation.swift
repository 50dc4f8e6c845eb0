/// What ``ScheduleStore/reconcile(_:now:)`` changed: schedule ids kept, added and removed.
public struct ScheduleReconciliation: Sendable, Equatable {
    public var kept: [Int64] = []
    public var added: [Int64] = []
    public var removed: [Int64] = []

    public init() {}
}
