import ConcordCore
import Foundation
import Testing

/// Reports, incidents and cases coordinated are kept apart; test traffic and other periods never
/// count; the table by RSIT and month adds up to the incidents; durations give median, p90 and the
/// shares within 15, 30 and 60 minutes.
@Suite struct IncidentStatisticsTests {
    static let period = ReportingPeriod(year: 2026)!
    static let (sg, nus, jp) = (UUID(), UUID(), UUID())

    static func fact(
        _ month: Int, _ classification: String, from reporter: UUID, to assignees: [UUID], economies: [String],
        duplicate: Bool = false
    ) -> IncidentFact {
        IncidentFact(
            reportedAt: period.months[month].start.addingTimeInterval(3600), classification: classification,
            reporter: reporter, assignees: Set(assignees), assigneeEconomies: Set(economies), isDuplicate: duplicate)
    }

    @Test func countersKeepReportsIncidentsAndCoordinatedCasesApart() {
        let facts = [
            Self.fact(0, "fraud/phishing", from: Self.sg, to: [Self.sg], economies: ["SG"]),
            Self.fact(0, "fraud/phishing", from: Self.sg, to: [Self.sg], economies: ["SG"], duplicate: true),
            Self.fact(1, "malicious-code/c2-server", from: Self.sg, to: [Self.nus], economies: ["SG"]),
            Self.fact(2, "availability/ddos", from: Self.jp, to: [Self.sg, Self.nus], economies: ["SG"]),
            Self.fact(3, "intrusions/burglary", from: Self.jp, to: [Self.jp, Self.sg], economies: ["JP", "SG"]),
            Self.fact(4, "test/test", from: Self.sg, to: [Self.nus], economies: ["SG"]),
            IncidentFact(
                reportedAt: Self.period.end, classification: "fraud/phishing", reporter: Self.sg, assignees: [Self.sg],
                assigneeEconomies: ["SG"]),
        ]
        let forum = IncidentStatistics.counters(facts, in: Self.period)
        #expect(forum.reports == 5 && forum.incidents == 4, "the test and the next year's are left out")
        #expect(forum.casesCoordinated == 3 && forum.crossBorder == 1)
        let singcert = IncidentStatistics.counters(facts, in: Self.period, team: Self.sg)
        #expect(singcert.reports == 5 && singcert.incidents == 4 && singcert.casesCoordinated == 3)
        let nuscert = IncidentStatistics.counters(facts, in: Self.period, team: Self.nus)
        #expect(nuscert.reports == 2 && nuscert.incidents == 2 && nuscert.casesCoordinated == 1)
        let table = IncidentStatistics.byTaxonomyAndMonth(facts, in: Self.period)
        #expect(table.total == forum.incidents)
        #expect(table.total(of: "fraud") == 1 && table.counts[table.categories.firstIndex(of: "availability")!][2] == 1)
    }

    @Test(arguments: [UInt64(21), 22, 23])
    func figuresAddUpWhateverTheIncidents(seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        let teams = (0..<6).map { _ in UUID() }
        let classes = RSITClassification.taxonomies.flatMap { entry in entry.types.map { "\(entry.taxonomy)/\($0)" } }
        let facts = (0..<500).map { _ in
            IncidentFact(
                reportedAt: Self.period.start.addingTimeInterval(
                    Double.random(in: -30 * 86_400...(395 * 86_400), using: &rng)),
                classification: classes.randomElement(using: &rng) ?? "other/other",
                reporter: teams.randomElement(using: &rng)!,
                assignees: Set(teams.filter { _ in Int.random(in: 0..<4, using: &rng) == 0 }),
                assigneeEconomies: Set(["SG", "JP", "MY"].filter { _ in Bool.random(using: &rng) }),
                isDuplicate: Int.random(in: 0..<10, using: &rng) == 0)
        }
        let forum = IncidentStatistics.counters(facts, in: Self.period)
        let table = IncidentStatistics.byTaxonomyAndMonth(facts, in: Self.period)
        #expect(table.total == forum.incidents, "seed \(seed)")
        #expect(table.monthTotals.reduce(0, +) == table.categoryTotals.reduce(0, +))
        #expect(forum.incidents <= forum.reports && forum.casesCoordinated <= forum.incidents)
        #expect(forum.crossBorder <= forum.incidents)
        for team in teams {
            let own = IncidentStatistics.counters(facts, in: Self.period, team: team)
            #expect(own.incidents <= forum.incidents && own.reports <= forum.reports)
            #expect(IncidentStatistics.byTaxonomyAndMonth(facts, in: Self.period, team: team).total == own.incidents)
        }
    }

    @Test func durationsGiveTheMedianP90AndSharesWithOpenCasesCounted() {
        let figures = DurationFigures(seconds: [60, 600, 1200, 4000], open: 1)
        #expect(figures.medianSeconds == 600 && figures.p90Seconds == 4500)
        #expect(figures.within15Minutes == 2 && figures.within30Minutes == 3 && figures.within60Minutes == 3)
        #expect(figures.cases == 5 && Figures.percent(figures.within30Minutes, of: figures.cases) == "60.0 %")
        #expect(DurationFigures(seconds: []).medianSeconds == nil)
        #expect(
            DurationFigures(seconds: Array(1...10)).p90Seconds == 60
                && DurationFigures(seconds: Array(1...10)).medianSeconds == 60)
        // 15 minutes is a step: 900 s is within them, 901 s is not.
        #expect(DurationFigures(seconds: [900, 901]).within15Minutes == 1)
        #expect(DurationFigures.text(seconds: 3900) == "1 h 15 min" && DurationFigures.text(seconds: 89) == "2 min")
        #expect(DurationFigures.text(seconds: 7200) == "2 h" && DurationFigures.text(seconds: 0) == "0 min")
        #expect(DurationFigures.text(seconds: 3 * 86_400 + 4 * 3600) == "3 d 4 h")
        #expect(DurationFigures.text(seconds: 12 * 86_400 + 1) == "13 d")
    }

    @Test(arguments: 0..<20) func theGridRoundsUpOnceAndKeepsItsOrder(seed: Int) {
        var rng = SplitMix64(seed: UInt64(seed))
        let values = (0..<200).map { _ in Int(rng.next() % 2_000_000) - 100 }
        for value in values {
            let step = DurationFigures.step(value)
            #expect(step >= value && DurationFigures.step(step) == step)
        }
        for (a, b) in zip(values, values.dropFirst()) where a <= b {
            #expect(DurationFigures.step(a) <= DurationFigures.step(b))
        }
    }
}
