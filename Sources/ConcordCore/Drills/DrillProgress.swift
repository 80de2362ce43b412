import Foundation

/// Where one team stands on one inject, as the live board and the report show it.
public enum DrillProgress: String, Sendable, Codable, CaseIterable {
    /// Not released yet.
    case pending
    /// Exercise control skipped the inject.
    case skipped
    /// Released to the team, not yet acknowledged.
    case delivered
    /// Acknowledged, the expected response not yet there.
    case acknowledged
    /// The expected response came (in time or late: see `late`).
    case completed
    /// The deadline passed without the expected response.
    case overdue

    /// The state at `now` of a delivery with these times (nil `delivered`: not released).
    public static func of(
        skipped: Bool, delivered: Date?, deadline: Date?, acknowledged: Date?, completed: Date?, now: Date
    ) -> DrillProgress {
        if skipped { return .skipped }
        guard delivered != nil else { return .pending }
        if completed != nil { return .completed }
        if let deadline, now > deadline { return .overdue }
        if deadline == nil, acknowledged != nil { return .completed }  // for information: reading it is all
        return acknowledged != nil ? .acknowledged : .delivered
    }

    /// Whether a completed response came after its deadline.
    public static func late(deadline: Date?, completed: Date?) -> Bool {
        guard let deadline, let completed else { return false }
        return completed > deadline
    }
}
