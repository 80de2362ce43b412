import ConcordCore
import Fluent
import Foundation
import SQLKit
import Testing
import Vapor

@testable import ConcordServer

/// The statistics summary (issue 18 §6): whatever the window, the labels and the cut-off, the
/// figures counted from the summary's days and the incidents together are exactly those counted
/// from the incidents alone; a write makes its day counted from the incidents until the refresh has
/// counted it again; concurrent writers and refreshes leave it exact, on SQLite and PostgreSQL.
@Suite struct StatisticsSummaryTests {
    static let year = ReportingPeriod(year: 2026)!
    static let classifications = [
        "fraud/phishing", "intrusions/system-compromise", "malicious-code/infected-system", "availability/ddos",
        "test/test", "my-own/category",
    ]

    /// `count` random incidents of 2026 (every label, test traffic, duplicates, teams of two
    /// economies) with assignments notified, acknowledged, resolved or declined at random seconds.
    static func history(seed: UInt64, count: Int, app: Application) async throws {
        var rng = SplitMix64(seed: seed)
        let teams = try await Team.query(on: app.db).all().map { try $0.requireID() }
        guard let user = try await User.query(on: app.db).first() else { throw Abort(.internalServerError) }
        var incidents: [Incident] = []
        var assignments: [IncidentAssignment] = []
        for index in 0..<count {
            let incident = Incident()
            incident.id = UUID()
            incident.number = "SUMMARY-\(seed % 1000)-\(index)"
            incident.title = "Summary \(index)"
            incident.details = ""
            incident.$reporterTeam.id = teams[Int(rng.next() % UInt64(teams.count))]
            incident.$reporterUser.id = try user.requireID()
            let classification = classifications[Int(rng.next() % UInt64(classifications.count))]
                .split(separator: "/").map(String.init)
            (incident.taxonomy, incident.type) = (classification[0], classification[1])
            incident.severity = "low"
            incident.tlp = TLPLabel.allCases[Int(rng.next() % UInt64(TLPLabel.allCases.count))]
            // Most in 2026; a few on its edges.
            let start = year.start.addingTimeInterval(-3 * 86_400)
            incident.reportedAt = start.addingTimeInterval(Double(rng.next() % UInt64(371 * 86_400)) + 0.25)
            if let earlier = incidents.last, rng.next() % 10 == 0 { incident.duplicateOfID = earlier.id }
            incidents.append(incident)
            let first = Int(rng.next() % UInt64(teams.count))
            for offset in 0..<Int(rng.next() % 3) {
                let notified = incident.reportedAt.addingTimeInterval(Double(rng.next() % 120))
                let row = IncidentAssignment(
                    incidentID: incident.id!, teamID: teams[(first + offset) % teams.count],
                    reasons: ["test"], deadline: notified.addingTimeInterval(3600),
                    notifiedAt: rng.next() % 12 == 0 ? nil : notified)
                row.escalations = Int(rng.next() % 3)
                let roll = rng.next() % 10
                if roll == 0 { row.state = .declined }
                if roll >= 2 {
                    row.acknowledgedAt = notified.addingTimeInterval(Double(rng.next() % 20_000) + 0.4)
                    row.state = .acknowledged
                }
                if roll >= 5, let acknowledged = row.acknowledgedAt {
                    row.resolvedAt = acknowledged.addingTimeInterval(Double(rng.next() % 900_000))
                    row.state = .resolved
                }
                assignments.append(row)
            }
        }
        try await incidents.create(on: app.db)
        try await assignments.create(on: app.db)
    }

    /// What the incidents alone count to.
    static func direct(_ query: StatisticsService.Query, _ window: (from: Date, to: Date), app: Application)
        async throws -> StatisticsAggregates.Counted
    {
        let sql = try #require(app.db as? any SQLDatabase)
        return StatisticsAggregates.fold(
            try await StatisticsAggregates.cells(
                sql, where: StatisticsAggregates.conditions(query, ranges: [window]),
                slot: StatisticsAggregates.slot(query.period.months.map(\.end)), cutoff: query.cutoff),
            categories: CategoryMapping.reportingCategories)
    }

    /// Whether two countings give the same figures.
    static func same(_ one: StatisticsAggregates.Counted, _ two: StatisticsAggregates.Counted) -> Bool {
        one.counters == two.counters && one.table.counts == two.table.counts && one.escalations == two.escalations
            && DurationFigures(histogram: one.acknowledge, open: one.acknowledgeOpen)
                == DurationFigures(histogram: two.acknowledge, open: two.acknowledgeOpen)
            && DurationFigures(histogram: one.resolve, open: one.resolveOpen)
                == DurationFigures(histogram: two.resolve, open: two.resolveOpen)
    }

    /// How many incidents were reported in `ranges`.
    static func incidents(in ranges: [(from: Date, to: Date)], _ app: Application) async throws -> Int {
        var count = 0
        for range in ranges {
            count += try await Incident.query(on: app.db).filter(\.$reportedAt >= range.from)
                .filter(\.$reportedAt < range.to).count()
        }
        return count
    }

    /// How many change marks wait.
    static func marks(_ app: Application) async throws -> Int {
        let sql = try #require(app.db as? any SQLDatabase)
        return try await sql.raw("SELECT COUNT(*) AS n FROM statistics_changes").first()?
            .decode(column: "n", as: Int.self) ?? -1
    }

    @Test(arguments: [UInt64.random(in: 1...UInt64.max)])
    func theSummaryCountsExactlyWhatTheIncidentsCount(seed: UInt64) async throws {
        try await withApp { app in
            // setup
            _ = try await TestForum.seed(app)
            try await Self.history(seed: seed, count: 400, app: app)
            let everything = (from: Self.year.start, to: Self.year.end)
            let query = StatisticsService.Query(period: Self.year)
            let first = try await StatisticsSummary.plan(window: everything, period: Self.year, cutoff: nil, on: app.db)
            #expect(first.summarized.isEmpty, "nothing is summarized before the first count")

            // act
            let days = try await StatisticsSummaryRefresh.runDue(at: Date(), on: app.db)

            // validate: the summary holds every whole day, and every query counts as the incidents do
            let marks = try await Self.marks(app)
            #expect(days >= 365 && marks == 0, "seed \(seed)")
            let plan = try await StatisticsSummary.plan(window: everything, period: Self.year, cutoff: nil, on: app.db)
            let uncounted = try await Self.incidents(in: plan.direct, app)
            #expect(uncounted == 0 && !plan.summarized.isEmpty, "seed \(seed): a day with incidents is uncounted")
            var whole = try await StatisticsAggregates.count(query, period: Self.year, window: everything, on: app.db)
            let counted = try await Self.direct(query, everything, app: app)
            #expect(Self.same(whole, counted), "seed \(seed)")
            #expect(whole.counters.reports > 200 && !whole.resolve.isEmpty, "seed \(seed): the history counts")
            var rng = SplitMix64(seed: seed)
            let length = UInt64(Self.year.end.timeIntervalSince(Self.year.start))
            for round in 0..<16 {
                var query = query
                let one = Self.year.start.addingTimeInterval(Double(rng.next() % length) + 0.5)
                let two = Self.year.start.addingTimeInterval(Double(rng.next() % length))
                let window = round == 0 ? everything : (from: min(one, two), to: max(one, two))
                query.labels = [nil, [.clear, .green], [.clear, .green, .amber]][Int(rng.next() % 3)]
                query.tlp = rng.next() % 4 == 0 ? TLPLabel.allCases[Int(rng.next() % 4)] : nil
                if rng.next() % 2 == 0 {
                    query.cutoff = Self.year.start.addingTimeInterval(Double(rng.next() % length))
                }
                if round == 15 { query.classification = "fraud" }
                let to = min(window.to, query.cutoff ?? .distantFuture)
                guard window.from < to else { continue }
                whole = try await StatisticsAggregates.count(
                    query, period: Self.year, window: (window.from, to), on: app.db)
                let direct = try await Self.direct(query, (window.from, to), app: app)
                #expect(Self.same(whole, direct), "seed \(seed), round \(round)")
            }
        }
    }

    @Test func aWriteIsCountedFromTheIncidentsUntilItsDayIsCountedAgain() async throws {
        try await withApp { app in
            // setup
            _ = try await TestForum.seed(app)
            try await Self.history(seed: 7, count: 120, app: app)
            try await StatisticsSummaryRefresh.runDue(at: Date(), on: app.db)
            let everything = (from: Self.year.start, to: Self.year.end)
            let query = StatisticsService.Query(period: Self.year)
            let before = try await StatisticsAggregates.count(query, period: Self.year, window: everything, on: app.db)

            // act: an assignment acknowledged
            let assignment = try #require(
                try await IncidentAssignment.query(on: app.db).filter(\.$acknowledgedAt == nil)
                    .filter(\.$state != .declined).filter(\.$notifiedAt != nil).with(\.$incident).all()
                    .first {
                        $0.incident.tlp != .red && $0.incident.taxonomy != "test"
                            && Self.year.monthIndex(of: $0.incident.reportedAt) != nil
                    })
            assignment.acknowledgedAt = try #require(assignment.notifiedAt).addingTimeInterval(600)
            assignment.state = .acknowledged
            try await assignment.save(on: app.db)
            let day = StatisticsSummary.day(of: assignment.incident.reportedAt)

            // validate: the day is counted from the incidents at once, then summarized again
            var plan = try await StatisticsSummary.plan(window: everything, period: Self.year, cutoff: nil, on: app.db)
            #expect(plan.direct.contains { $0.from == day && $0.to == day.addingTimeInterval(86_400) })
            let after = try await StatisticsAggregates.count(query, period: Self.year, window: everything, on: app.db)
            #expect(after.acknowledgeOpen == before.acknowledgeOpen - 1)
            let direct = try await Self.direct(query, everything, app: app)
            #expect(Self.same(after, direct))
            let recounted = try await StatisticsSummaryRefresh.runDue(at: Date(), on: app.db)
            #expect(recounted == 1)
            plan = try await StatisticsSummary.plan(window: everything, period: Self.year, cutoff: nil, on: app.db)
            #expect(try await Self.incidents(in: plan.direct, app) == 0, "only days without incidents are uncounted")
            let again = try await StatisticsAggregates.count(query, period: Self.year, window: everything, on: app.db)
            #expect(Self.same(again, after))

            // a team moving to another economy changes cross-border cases on every day
            let team = try #require(try await Team.query(on: app.db).filter(\.$slug == "nuscert").first())
            let other = try #require(try await Economy.query(on: app.db).filter(\.$id != team.$economy.id).first())
            team.$economy.id = try other.requireID()
            try await team.save(on: app.db)
            plan = try await StatisticsSummary.plan(window: everything, period: Self.year, cutoff: nil, on: app.db)
            #expect(plan.summarized.isEmpty)
            try await StatisticsSummaryRefresh.runDue(at: Date(), on: app.db)
            let moved = try await StatisticsAggregates.count(query, period: Self.year, window: everything, on: app.db)
            let movedDirect = try await Self.direct(query, everything, app: app)
            #expect(Self.same(moved, movedDirect) && moved.counters.reports > 0)
            let left = try await Self.marks(app)
            #expect(left == 0)
        }
    }

    @Test func concurrentWritersAndRefreshesLeaveTheSummaryExact() async throws {
        try await withApp(sqliteFile: true) { app in
            // setup
            _ = try await TestForum.seed(app)
            try await Self.history(seed: 11, count: 150, app: app)
            try await StatisticsSummaryRefresh.runDue(at: Date(), on: app.db)
            let ids = try await IncidentAssignment.query(on: app.db).all().map { try $0.requireID() }

            // act: six writers change assignments while three refreshes run
            try await withThrowingTaskGroup(of: Void.self) { group in
                for writer in 0..<6 {
                    group.addTask {
                        for step in 0..<8 {
                            let id = ids[(writer * 31 + step * 7) % ids.count]
                            try await app.db.writeTransaction { db in
                                guard let row = try await IncidentAssignment.find(id, on: db) else { return }
                                row.escalations += 1
                                row.resolvedAt = row.resolvedAt == nil ? row.notifiedAt?.addingTimeInterval(7_777) : nil
                                try await row.save(on: db)
                            }
                        }
                    }
                }
                for _ in 0..<3 {
                    group.addTask {
                        for _ in 0..<3 { try await StatisticsSummaryRefresh.runDue(at: Date(), on: app.db) }
                    }
                }
                try await group.waitForAll()
            }
            try await StatisticsSummaryRefresh.runDue(at: Date(), on: app.db)

            // validate
            let everything = (from: Self.year.start, to: Self.year.end)
            let query = StatisticsService.Query(period: Self.year)
            let left = try await Self.marks(app)
            #expect(left == 0)
            let plan = try await StatisticsSummary.plan(window: everything, period: Self.year, cutoff: nil, on: app.db)
            #expect(try await Self.incidents(in: plan.direct, app) == 0)
            let counted = try await StatisticsAggregates.count(query, period: Self.year, window: everything, on: app.db)
            let direct = try await Self.direct(query, everything, app: app)
            #expect(Self.same(counted, direct) && counted.escalations > 0)
        }
    }
}
