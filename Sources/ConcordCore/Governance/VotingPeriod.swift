import Foundation

/// The course of a vote between meetings: its discussion period, then its voting period, each a
/// number of calendar days in the vote's time zone (so a week is the same wall-clock hour a week
/// later, across a change to or from daylight saving time), and the reminders before the close.
public struct VotingPeriod: Equatable, Sendable {
    /// When voting opens: the discussion period's end.
    public let opensAt: Date
    /// When voting closes.
    public let closesAt: Date

    /// The periods of a vote proposed at `proposedAt`, in `timeZone`, under `rules`.
    public init(proposedAt: Date, timeZone: TimeZone, rules: VoteBetweenMeetingsRules) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let opens =
            calendar.date(byAdding: .day, value: rules.discussionDays, to: proposedAt)
            ?? proposedAt.addingTimeInterval(Double(rules.discussionDays) * 86_400)
        opensAt = opens
        closesAt =
            calendar.date(byAdding: .day, value: rules.votingDays, to: opens)
            ?? opens.addingTimeInterval(Double(rules.votingDays) * 86_400)
    }

    public init(opensAt: Date, closesAt: Date) {
        self.opensAt = opensAt
        self.closesAt = closesAt
    }

    /// The nearest reminder due at `now` among `hours` before the close (72 and 24: at 30 hours
    /// before the close, 72), nil outside the voting period or before the first. Each reminder is
    /// sent once, so one that comes due while another is still unsent replaces it.
    public func reminderDue(at now: Date, hours: [Int]) -> Int? {
        guard now >= opensAt, now < closesAt else { return nil }
        return hours.sorted().first { now >= closesAt.addingTimeInterval(-Double($0) * 3600) }
    }
}
