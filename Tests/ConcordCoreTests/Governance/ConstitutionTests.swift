import ConcordCore
import Foundation
import Testing

/// The constitution is data: the seeds' forum's rules apply as written, bad rules are named by
/// their path, a decision is judged by the version in force when it opened, and a team's rights
/// follow its category, its standing and its waiting year.
@Suite struct ConstitutionTests {
    static let seeds = Constitution.seedsForum(effectiveOn: "2003-02-01")

    @Test func theSeedsForumsRulesCanBeApplied() throws {
        #expect(Self.seeds.problems.isEmpty)
        #expect(Self.seeds.rights(of: "full")?.sponsorsRequired == 1)
        #expect(Self.seeds.rights(of: "general")?.sponsorsRequired == 3)
        #expect(Self.seeds.steeringCommittee.seats == 7 && Self.seeds.office("chair")?.maxConsecutiveTerms == 2)
        let json = try JSONEncoder().encode(Self.seeds)
        #expect(try JSONDecoder().decode(Constitution.self, from: json) == Self.seeds)
    }

    @Test func badRulesAreNamedByTheirPath() {
        var rules = Self.seeds
        rules.effectiveOn = "2026-02-30"
        rules.categories.append(rules.categories[0])
        rules.steeringCommittee.seatClasses = [4, 4]
        rules.votesBetweenMeetings.reminderHours = [72, 200]
        rules.applications.objectionWindowDays = 0
        let problems = rules.problems
        #expect(problems.contains("effectiveOn: '2026-02-30' is not a date YYYY-MM-DD"))
        #expect(problems.contains("categories[3].category: 'full' twice"))
        #expect(problems.contains("steeringCommittee.seatClasses: 8 seats in its classes, not 7"))
        #expect(problems.contains("votesBetweenMeetings.reminderHours: a reminder outside the voting period"))
        #expect(problems.contains("applications.objectionWindowDays: 0 is less than 1"))
    }

    @Test func aShareOutsideZeroAndAllIsRefusedWhenRead() {
        let json = #"{"numerator": 3, "denominator": 2, "comparison": "at-least"}"#
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(Threshold.self, from: Data(json.utf8)) }
        let word = #"{"numerator": 1, "denominator": 2, "comparison": "nearly"}"#
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(Threshold.self, from: Data(word.utf8)) }
    }

    @Test func aDecisionIsJudgedByTheRulesInForceWhenItOpened() throws {
        var amended = Self.seeds
        amended.effectiveOn = "2026-04-01"
        amended.generalMeeting.quorum = .twoThirds
        let history = try #require(ConstitutionHistory([amended, Self.seeds]))
        #expect(history.inForce(on: CivilDate(year: 2003, month: 1, day: 31)) == nil)
        #expect(history.inForce(on: CivilDate(year: 2026, month: 3, day: 31))?.generalMeeting.quorum == .atLeastHalf)
        #expect(history.inForce(on: CivilDate(year: 2026, month: 4, day: 1))?.generalMeeting.quorum == .twoThirds)
        #expect(ConstitutionHistory([Self.seeds, Self.seeds]) == nil, "two versions on one day")
    }

    @Test func aNewFullMemberVotesAndStandsAYearAfterAdmission() {
        let admitted = CivilDate(year: 2026, month: 3, day: 24)
        let newcomer = MemberStanding(isActive: true, category: "full", admittedOn: admitted)
        #expect(
            Self.seeds.rights(of: newcomer, on: CivilDate(year: 2027, month: 3, day: 23)) == [.attendClosedSessions])
        #expect(
            Self.seeds.rights(of: newcomer, on: CivilDate(year: 2027, month: 3, day: 24))
                == [.vote, .stand, .sponsor, .attendClosedSessions])
        #expect(
            Self.seeds.mayVoteFrom(category: "full", admittedOn: admitted) == CivilDate(year: 2027, month: 3, day: 24))
        #expect(Self.seeds.mayVoteFrom(category: "general", admittedOn: admitted) == nil)
        let general = MemberStanding(isActive: true, category: "general", admittedOn: nil)
        #expect(Self.seeds.rights(of: general, on: admitted) == [.attendClosedSessions])
        let partner = MemberStanding(isActive: true, category: "partner", admittedOn: nil)
        #expect(Self.seeds.rights(of: partner, on: admitted).isEmpty)
        let suspended = MemberStanding(isActive: false, category: "full", admittedOn: nil)
        #expect(Self.seeds.rights(of: suspended, on: admitted).isEmpty, "suspension takes every right at once")
        let unknown = MemberStanding(isActive: true, category: "observer", admittedOn: nil)
        #expect(Self.seeds.rights(of: unknown, on: admitted).isEmpty)
    }

    @Test func monthsAndDaysAreAddedOnTheCalendar() {
        #expect(CivilDate(year: 2026, month: 1, day: 31).adding(months: 1) == CivilDate(year: 2026, month: 2, day: 28))
        #expect(CivilDate(year: 2024, month: 1, day: 31).adding(months: 1) == CivilDate(year: 2024, month: 2, day: 29))
        #expect(
            CivilDate(year: 2026, month: 11, day: 30).adding(months: 14) == CivilDate(year: 2028, month: 1, day: 30))
        #expect(
            CivilDate(year: 2026, month: 1, day: 15).adding(months: -1) == CivilDate(year: 2025, month: 12, day: 15))
        #expect(CivilDate(year: 2026, month: 12, day: 31).adding(days: 1) == CivilDate(year: 2027, month: 1, day: 1))
        #expect(CivilDate(year: 2026, month: 3, day: 1).adding(days: -1) == CivilDate(year: 2026, month: 2, day: 28))
    }
}
