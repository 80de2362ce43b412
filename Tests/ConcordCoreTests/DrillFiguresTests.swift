import Foundation
import Testing

@testable import ConcordCore

/// The figures a drill report quotes, the states of the board and the matching of answers.
@Suite struct DrillFiguresTests {
    let start = Date(timeIntervalSince1970: 1_796_263_200)

    func outcome(
        _ team: String, economy: String = "Singapore", partner: Bool = false, inject: String = "first",
        at offset: Double = 0, within: Double? = 1800, ack: Double? = nil, done: Double? = nil
    ) -> DrillOutcome {
        let delivered = start.addingTimeInterval(offset)
        return DrillOutcome(
            team: team, economy: economy, partner: partner, inject: inject, delivered: delivered,
            deadline: within.map { delivered.addingTimeInterval($0) },
            acknowledged: ack.map { delivered.addingTimeInterval($0) },
            completed: done.map { delivered.addingTimeInterval($0) })
    }

    /// Five teams from four economies and a partner: two in time, one late, one never, one silent.
    @Test func theReportFiguresCountWhatHappened() {
        let outcomes = [
            outcome("a", economy: "Japan", ack: 300, done: 300),
            outcome("b", economy: "Korea", ack: 1200, done: 1200),
            outcome("c", economy: "Malaysia", ack: 2700, done: 2700),  // late
            outcome("d", economy: "Thailand", ack: 600),  // acknowledged, never completed
            outcome("e", economy: "Thailand"),  // silent
            outcome("a", economy: "Japan", inject: "second", at: 3600, within: nil, ack: 60),
            outcome("p", economy: "Elsewhere", partner: true, ack: 30, done: 30),
        ]
        let invited = ["a": "Japan", "b": "Korea", "c": "Malaysia", "d": "Thailand", "e": "Thailand"]
        let figures = DrillFigures.of(
            outcomes, invited: invited, partners: ["p"], thresholds: [15, 30, 60],
            withDeadlineAt: start.addingTimeInterval(4 * 3600), signatures: [true, false, false, true])
        #expect(figures.invitedTeams == 5 && figures.economies == 4)
        #expect(figures.participatingTeams == 4 && figures.participationPercent == 80)
        #expect(figures.partnerTeams == 1 && figures.participatingPartners == 1)
        #expect(figures.acknowledgedWithin == [15: 40, 30: 60, 60: 80])
        // Acknowledged: 60, 300, 600, 1200, 2700 seconds (the partner's 30 is apart).
        #expect(figures.medianSecondsToAcknowledge == 600 && figures.p90SecondsToAcknowledge == 2700)
        #expect(figures.expectedResponses == 5 && figures.completedInTime == 2 && figures.completedLate == 1)
        #expect(figures.overdue == 2)
        #expect(figures.answers == 4 && figures.signedAnswers == 2 && figures.signedPercent == 50)
    }

    @Test func nothingHappenedIsNotADivisionByZero() {
        let figures = DrillFigures.of([], invited: [:], partners: [], thresholds: [15], withDeadlineAt: start)
        #expect(figures.participationPercent == 0 && figures.acknowledgedWithin == [15: 0])
        #expect(figures.medianSecondsToAcknowledge == nil && figures.p90SecondsToAcknowledge == nil)
    }

    @Test func quantilesAreNearestRank() {
        #expect(DrillFigures.quantile([1, 2, 3, 4], 0.5) == 2)
        #expect(DrillFigures.quantile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9) == 9)
        #expect(DrillFigures.quantile([7], 0.9) == 7)
    }

    @Test func theBoardStates() {
        let now = start.addingTimeInterval(3600)
        func state(_ delivered: Double?, deadline: Double?, ack: Double?, done: Double?, skipped: Bool = false)
            -> DrillProgress
        {
            DrillProgress.of(
                skipped: skipped, delivered: delivered.map(start.addingTimeInterval),
                deadline: deadline.map(start.addingTimeInterval), acknowledged: ack.map(start.addingTimeInterval),
                completed: done.map(start.addingTimeInterval), now: now)
        }
        #expect(state(nil, deadline: nil, ack: nil, done: nil) == .pending)
        #expect(state(nil, deadline: nil, ack: nil, done: nil, skipped: true) == .skipped)
        #expect(state(0, deadline: 7200, ack: nil, done: nil) == .delivered)
        #expect(state(0, deadline: 7200, ack: 60, done: nil) == .acknowledged)
        #expect(state(0, deadline: 1800, ack: 60, done: nil) == .overdue)
        #expect(state(0, deadline: 1800, ack: 60, done: 2000) == .completed)
        #expect(state(0, deadline: nil, ack: 60, done: nil) == .completed, "information only: reading it is all")
        #expect(DrillProgress.late(deadline: start, completed: start.addingTimeInterval(1)))
        #expect(!DrillProgress.late(deadline: start, completed: start))
    }

    @Test func answersMatchWhatTheInjectExpects() {
        #expect(DrillResponseMatching.match(.acknowledge, .acknowledge) == .satisfied)
        #expect(DrillResponseMatching.match(.acknowledge, .notifyTeam("krcert-cc")) == .unrelated)
        let report = DrillExpectation.Action.reportIncident(observables: ["203.0.113.50", "evil.example"])
        #expect(
            DrillResponseMatching.match(.reportIncident(observables: ["EVIL.example", "203.0.113.50"]), report)
                == .satisfied)
        #expect(DrillResponseMatching.match(.reportIncident(observables: ["203.0.113.50"]), report) == .unrelated)
        #expect(DrillResponseMatching.match(.handOver(team: "krcert-cc"), .notifyTeam("krcert-cc")) == .satisfied)
        #expect(DrillResponseMatching.match(.handOver(team: "mycert"), .notifyTeam("krcert-cc")) == .unrelated)
        let question = DrillExpectation.Action.answer(question: "Which port?", accepted: ["8443"])
        #expect(DrillResponseMatching.match(.answer("TCP/8443, outbound"), question) == .satisfied)
        #expect(DrillResponseMatching.match(.answer("no idea"), question) == .needsConfirmation)
        #expect(DrillResponseMatching.match(.comment("8443"), question) == .unrelated)
    }

    @Test func theBarChartDrawsEveryTeam() {
        let chart = SVGBarChart(
            title: "Minutes to acknowledge", unit: "min",
            bars: [
                .init(label: "SingCERT", value: 5), .init(label: "MyCERT", value: 45, highlighted: true),
                .init(label: "ThaiCERT", value: nil),
            ],
            markers: [(15, "15 min"), (30, "30 min")])
        let svg = chart.render()
        #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""))
        #expect(svg.components(separatedBy: "class=\"bar\"").count == 3)
        #expect(svg.contains("class=\"bar-missing\"") && svg.contains("no answer"))
        #expect(svg.contains(SVGLineChart.palette[1]), "the late bar is highlighted")
        #expect(chart.description == "Bar chart: SingCERT 5 min; MyCERT 45 min; ThaiCERT no answer")
    }
}
