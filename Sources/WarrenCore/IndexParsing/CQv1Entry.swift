/// The state of one CQv1 sequence id, `{Pub | no_pub, del | no_del, ack | no_ack}` in
/// `rabbit_queue_index.erl`, with the combination rules the broker applies at recovery.
/// A rule that returns `nil` is a case the broker has no clause for (it crashes).
struct CQv1Entry: Equatable {
    /// A publish record: `{IsPersistent, Bin, MsgBin}`.
    struct Publish: Equatable {
        var persistent: Bool
        /// Msg id (16), expiry (8), payload size (4): `PUB_RECORD_BODY_BYTES`.
        var body: ArraySlice<UInt8>
        /// The embedded message (`term_to_binary(#basic_message{})`), empty when the body
        /// is in the shared message store.
        var embedded: ArraySlice<UInt8>

        var payloadSize: UInt32 { IndexBytes.u32(body, body.startIndex + 24) }
    }

    var publish: Publish?
    var delivered: Bool
    var acked: Bool

    enum Action {
        case publish(Publish)
        case deliver
        case ack
    }

    /// What a rule does to a slot.
    enum Outcome: Equatable {
        case keep
        case remove
        case set(CQv1Entry)
    }

    /// `action_to_entry/3`, used when the journal is loaded: `.set`, `.remove` (`reset`), or
    /// `nil` when the broker would crash.
    static func journal(_ current: CQv1Entry?, _ action: Action) -> Outcome? {
        guard let current else {
            switch action {
            case .publish(let pub): return .set(CQv1Entry(publish: pub, delivered: false, acked: false))
            case .deliver: return .set(CQv1Entry(publish: nil, delivered: true, acked: false))
            case .ack: return .set(CQv1Entry(publish: nil, delivered: false, acked: true))
            }
        }
        switch (action, current.publish != nil, current.delivered, current.acked) {
        case (.deliver, _, false, false):
            return .set(CQv1Entry(publish: current.publish, delivered: true, acked: false))
        case (.ack, false, true, false):
            return .set(CQv1Entry(publish: nil, delivered: true, acked: true))
        case (.ack, true, true, false):
            return .remove
        default:
            return nil
        }
    }

    /// `journal_minus_segment1/2`: drops from a journal entry what the segment (read keeping
    /// acked entries) already holds. `nil` when the broker has no clause.
    static func journalMinusSegment(_ j: CQv1Entry, _ s: CQv1Entry?) -> Outcome? {
        if j.publish != nil, let s, s == j { return .remove }
        guard let s else {
            switch (j.publish != nil, j.delivered, j.acked) {
            case (true, _, false), (true, true, true): return .keep
            case (false, _, true): return .remove
            default: return nil
            }
        }
        guard s.publish != nil else { return nil }
        if let jp = j.publish {
            guard jp == s.publish, j.delivered else { return nil }
            switch (j.acked, s.delivered, s.acked) {
            case (false, false, false): return .set(CQv1Entry(publish: nil, delivered: true, acked: false))
            case (true, false, false): return .set(CQv1Entry(publish: nil, delivered: true, acked: true))
            case (true, true, false): return .set(CQv1Entry(publish: nil, delivered: false, acked: true))
            default: return nil
            }
        }
        switch (j.delivered, j.acked, s.delivered, s.acked) {
        case (true, false, false, false): return .keep
        case (true, false, true, false): return .remove
        case (false, true, true, false): return .keep
        case (false, true, true, true): return .remove
        case (true, true, false, false): return .keep
        case (true, true, true, false): return .set(CQv1Entry(publish: nil, delivered: false, acked: true))
        case (true, true, true, true): return .remove
        default: return nil
        }
    }

    /// `segment_plus_journal1/2`: the journal entry applied on top of the segment entry
    /// (read dropping acked entries). `nil` when the broker has no clause.
    static func segmentPlusJournal(_ s: CQv1Entry?, _ j: CQv1Entry) -> Outcome? {
        guard let s else {
            guard j.publish != nil else { return nil }
            if !j.acked { return .set(j) }
            return j.delivered ? .remove : nil
        }
        guard s.publish != nil, !s.acked, j.publish == nil else { return nil }
        switch (s.delivered, j.delivered, j.acked) {
        case (false, true, false): return .set(CQv1Entry(publish: s.publish, delivered: true, acked: false))
        case (false, true, true): return .remove
        case (true, false, true): return .remove
        default: return nil
        }
    }
}
