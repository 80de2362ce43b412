import ConcordCore
import Foundation
import Testing

/// Votes between meetings: a reply's one VOTE line is read from the signed text or refused with
/// its reason; the discussion and voting periods are calendar days in the vote's zone, across the
/// zones the forum spans and a change from daylight saving time; reminders come due 72 and 24
/// hours before the close, the nearest one alone.
@Suite struct VoteBetweenMeetingsTests {
    static let rules = VoteBetweenMeetingsRules(discussionDays: 7, votingDays: 7, reminderHours: [72, 24])

    @Test func aReplyHoldsOneVoteLine() {
        #expect(
            BallotReply.parse("Our ballot:\n\nvote vote-2027-3 Yes\n\n-- \nKrCERT/CC")
                == .success(BallotReply(reference: "VOTE-2027-3", choice: .yes)))
        #expect(
            BallotReply.parse("> VOTE VOTE-2027-3 YES|NO|ABSTAIN\nVOTE VOTE-2027-3 ABSTAIN\nVOTE VOTE-2027-3 abstain")
                == .success(BallotReply(reference: "VOTE-2027-3", choice: .abstain)))
        #expect(BallotReply.parse("We agree.") == .failure(.noVoteLine))
        #expect(BallotReply.parse("> VOTE VOTE-2027-3 YES") == .failure(.noVoteLine))
        #expect(BallotReply.parse("VOTE VOTE-2027-3 YES\nVOTE VOTE-2027-3 NO") == .failure(.twoVoteLines))
        #expect(BallotReply.parse("VOTE VOTE-2027-3 MAYBE") == .failure(.malformed("VOTE VOTE-2027-3 MAYBE")))
        #expect(BallotReply.parse("VOTE YES") == .failure(.malformed("VOTE YES")))
        #expect(BallotReply.Refusal.twoVoteLines.description.contains("two different VOTE lines"))
    }

    /// Proposed at 10:00 local on 2027-03-26 in each zone: voting opens 10:00 local on 2 April and
    /// closes 10:00 local on 9 April, which in Sydney is 14 days and an hour later (daylight saving
    /// time ends there on 4 April).
    @Test(arguments: [
        ("Asia/Kolkata", 14 * 24), ("Asia/Kathmandu", 14 * 24), ("Asia/Singapore", 14 * 24), ("Asia/Tokyo", 14 * 24),
        ("Australia/Sydney", 14 * 24 + 1), ("Pacific/Tongatapu", 14 * 24),
    ])
    func periodsAreCalendarDaysInTheVotesZone(zoneName: String, hours: Int) throws {
        let zone = try #require(TimeZone(identifier: zoneName))
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let proposed = try #require(calendar.date(from: DateComponents(year: 2027, month: 3, day: 26, hour: 10)))
        let period = VotingPeriod(proposedAt: proposed, timeZone: zone, rules: Self.rules)
        let opens = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: period.opensAt)
        let closes = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: period.closesAt)
        #expect(opens == DateComponents(year: 2027, month: 4, day: 2, hour: 10, minute: 0))
        #expect(closes == DateComponents(year: 2027, month: 4, day: 9, hour: 10, minute: 0))
        #expect(Int(period.closesAt.timeIntervalSince(proposed)) == hours * 3600)
    }

    @Test func theNearestReminderComesDue() {
        let opens = Date(timeIntervalSince1970: 1_800_000_000)
        let period = VotingPeriod(opensAt: opens, closesAt: opens.addingTimeInterval(7 * 86_400))
        let hoursBefore: (Double) -> Date = { period.closesAt.addingTimeInterval(-$0 * 3600) }
        #expect(period.reminderDue(at: opens.addingTimeInterval(-1), hours: [72, 24]) == nil)
        #expect(period.reminderDue(at: hoursBefore(100), hours: [72, 24]) == nil)
        #expect(period.reminderDue(at: hoursBefore(72), hours: [72, 24]) == 72)
        #expect(period.reminderDue(at: hoursBefore(30), hours: [72, 24]) == 72)
        #expect(period.reminderDue(at: hoursBefore(24), hours: [72, 24]) == 24)
        #expect(period.reminderDue(at: hoursBefore(0.01), hours: [24, 72]) == 24)
        #expect(period.reminderDue(at: period.closesAt, hours: [72, 24]) == nil)
    }
}
