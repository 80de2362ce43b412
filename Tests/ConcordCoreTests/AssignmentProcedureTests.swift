import Foundation
import Testing

@testable import ConcordCore

@Suite struct AssignmentProcedureTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    /// Every state × event: the new state, or nil where the transition is illegal.
    static let table: [AssignmentState: [AssignmentEvent: AssignmentState?]] = [
        .notified: [
            .acknowledge: .acknowledged, .start: nil, .resolve: nil, .decline(.notOurs): .declined, .reopen: nil,
            .deadlinePassed: .notified,
        ],
        .acknowledged: [
            .acknowledge: nil, .start: .inProgress, .resolve: .resolved, .decline(.duplicate): .declined,
            .reopen: nil, .deadlinePassed: .acknowledged,
        ],
        .inProgress: [
            .acknowledge: nil, .start: nil, .resolve: .resolved, .decline(.falsePositive): .declined, .reopen: nil,
            .deadlinePassed: .inProgress,
        ],
        .resolved: [
            .acknowledge: nil, .start: nil, .resolve: nil, .decline(.notOurs): nil, .reopen: .inProgress,
            .deadlinePassed: .resolved,
        ],
        .declined: [
            .acknowledge: nil, .start: nil, .resolve: nil, .decline(.duplicate): nil, .reopen: nil,
            .deadlinePassed: .declined,
        ],
    ]

    @Test func everyStateAndEvent() {
        for (state, events) in Self.table {
            #expect(events.count == 6, "every event is listed for \(state)")
            for (event, expected) in events {
                var procedure = AssignmentProcedure(state: state, escalations: 0)
                do {
                    _ = try procedure.handle(event, at: now)
                    #expect(expected != nil, "\(state) + \(event) must be refused")
                    #expect(procedure.state == expected ?? nil, "\(state) + \(event)")
                } catch {
                    #expect(expected == nil, "\(state) + \(event) was refused: \(error)")
                    #expect(error == IllegalTransition(state: state, event: event))
                    #expect(procedure.state == state, "a refused event changes nothing")
                }
            }
        }
        #expect(Set(Self.table.keys) == Set(AssignmentState.allCases))
    }

    @Test func missedAcknowledgementEscalatesTwiceThenStops() throws {
        var procedure = AssignmentProcedure()
        let first = try procedure.handle(.deadlinePassed, at: now)
        #expect(first.contains(.notifyNextChannel))
        #expect(first.contains(.scheduleDeadline(now.addingTimeInterval(AssignmentProcedure.secondChance))))
        let second = try procedure.handle(.deadlinePassed, at: now.addingTimeInterval(3600))
        #expect(second.contains(.alertSecretariat) && !second.contains(.notifyNextChannel))
        #expect(second.contains(.cancelDeadline), "after the secretariat is alerted the timer is over")
        #expect(try procedure.handle(.deadlinePassed, at: now.addingTimeInterval(7200)).isEmpty)
        #expect(procedure.escalations == 2 && procedure.state == .notified)
        let late = try procedure.handle(.acknowledge, at: now.addingTimeInterval(9000))
        #expect(late == [.cancelDeadline, .recordTimeline("acknowledged"), .informReporter])
    }

    @Test func actionsOfTheOrdinaryPath() throws {
        var procedure = AssignmentProcedure()
        #expect(try procedure.handle(.acknowledge, at: now).first == .cancelDeadline)
        #expect(try procedure.handle(.start, at: now) == [.recordTimeline("work started")])
        #expect(try procedure.handle(.resolve, at: now) == [.recordTimeline("resolved"), .informReporter])
        var declined = AssignmentProcedure()
        #expect(
            try declined.handle(.decline(.notOurs), at: now) == [
                .cancelDeadline, .recordTimeline("declined: not-ours"), .informReporter,
            ])
    }

    @Test func incidentStateFollowsAssignmentsAndReporter() {
        #expect(IncidentState.of(assignments: [], closedByReporter: false) == .triage)
        #expect(IncidentState.of(assignments: [.resolved, .notified], closedByReporter: false) == .open)
        #expect(IncidentState.of(assignments: [.resolved, .declined], closedByReporter: false) == .resolved)
        #expect(IncidentState.of(assignments: [.inProgress], closedByReporter: true) == .closed)
    }
}

@Suite struct AcknowledgementDeadlineTests {
    func date(_ text: String, _ zone: String) throws -> Date {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: zone)
        formatter.dateFormat = "yyyy-MM-dd HH:mm"
        return try #require(formatter.date(from: text))
    }

    @Test func roundTheClockTeamsHaveTwoHours() throws {
        let level = ServiceLevel(
            alwaysAvailable: true, businessHours: try #require(BusinessHours("Mon-Fri 09:00-18:00")),
            timeZone: try #require(TimeZone(identifier: "Asia/Tokyo")))
        let reported = try date("2026-11-20 23:30", "Asia/Tokyo")
        #expect(level.acknowledgementDeadline(reportedAt: reported) == reported.addingTimeInterval(7200))
    }

    @Test func otherTeamsHaveUntilTheCloseOfTheNextBusinessDayInTheirZone() throws {
        let tokyo = ServiceLevel(
            alwaysAvailable: false, businessHours: try #require(BusinessHours("Mon-Fri 09:00-18:00")),
            timeZone: try #require(TimeZone(identifier: "Asia/Tokyo")))
        // Friday afternoon and Saturday both fall due at Monday's close.
        #expect(
            tokyo.acknowledgementDeadline(reportedAt: try date("2026-11-20 15:00", "Asia/Tokyo"))
                == (try date("2026-11-23 18:00", "Asia/Tokyo")))
        #expect(
            tokyo.acknowledgementDeadline(reportedAt: try date("2026-11-21 10:00", "Asia/Tokyo"))
                == (try date("2026-11-23 18:00", "Asia/Tokyo")))
        // A report at 23:00 UTC on Monday is already Tuesday in Tokyo: due Wednesday.
        #expect(
            tokyo.acknowledgementDeadline(reportedAt: try date("2026-11-23 23:00", "UTC"))
                == (try date("2026-11-25 18:00", "Asia/Tokyo")))
        // A Sunday-to-Thursday week.
        let gulf = ServiceLevel(
            alwaysAvailable: false, businessHours: try #require(BusinessHours("Sun-Thu 08:00-16:00")),
            timeZone: try #require(TimeZone(identifier: "Asia/Dubai")))
        #expect(
            gulf.acknowledgementDeadline(reportedAt: try date("2026-11-19 12:00", "Asia/Dubai"))
                == (try date("2026-11-22 16:00", "Asia/Dubai")))
        // Sydney moves to daylight time on Sunday 4 October 2026; Monday's close is still 17:00 on the wall.
        let sydney = ServiceLevel(
            alwaysAvailable: false, businessHours: try #require(BusinessHours("Mon-Fri 09:00-17:00")),
            timeZone: try #require(TimeZone(identifier: "Australia/Sydney")))
        #expect(
            sydney.acknowledgementDeadline(reportedAt: try date("2026-10-03 12:00", "Australia/Sydney"))
                == (try date("2026-10-05 17:00", "Australia/Sydney")))
    }

    @Test func businessHoursParsing() {
        #expect(BusinessHours("Mon-Fri 09:00-18:00")?.days == [1, 2, 3, 4, 5])
        #expect(BusinessHours("Fri-Mon 10:00-12:30")?.days == [5, 6, 7, 1])
        #expect(BusinessHours("Mon,Wed 08:00-12:00")?.description == "Mon,Wed 08:00-12:00")
        for bad in ["", "Mon-Fri", "Mon-Fri 18:00-09:00", "Funday 09:00-10:00", "Mon-Fri 9-17", "Mon-Fri 25:00-26:00"] {
            #expect(BusinessHours(bad) == nil, "\(bad)")
        }
    }
}
