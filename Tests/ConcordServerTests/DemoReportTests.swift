import ConcordCore
import ConcordTestTools
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import ConcordServer

/// The demo's year of history (issue 18 §6): deterministic incidents across RSIT classes and
/// months, last year's reporting year closed with two submissions late, this year's with most
/// submissions accepted, two outstanding and one refused upload, so that its report is full;
/// golden figures that change only when the generator does.
@Suite struct DemoReportTests {
    /// 2026-12-10 00:00 UTC.
    static let now = Date(timeIntervalSince1970: 1_796_860_800)

    @Test(.needs(.gpg)) func theDemoYearsReportIsFullAndItsFiguresAreGolden() async throws {
        try await withApp { app in
            // setup
            app.clock = FixedClock(Self.now)
            let credentials = try await DemoLoader.load(app: app)
            app.reportPrinter = TextPrinter()
            var headers = HTTPHeaders()
            headers.bearerAuthorization = .init(token: credentials.adminToken)
            headers.contentType = .json

            // act
            let board = try await app.testing().send(.GET, "/api/v1/reporting-years/2026", headers: headers)
                .content.decode(ReportingBoardDTO.self)
            let lastYear = try await app.testing().send(.GET, "/api/v1/reporting-years/2025", headers: headers)
                .content.decode(ReportingBoardDTO.self)
            let figures = try await app.testing().send(.GET, "/api/v1/statistics?year=2026", headers: headers)
                .content.decode(StatisticsDTO.self)
            let built = try await app.testing().send(
                .POST, "/api/v1/reporting-years/2026/editions", headers: headers, body: json(["tlp": "amber"]))
            let edition = try built.content.decode(ReportEditionDTO.self)
            let annex = try await app.testing().send(
                .GET, "/api/v1\(edition.files["data.json"] ?? "")", headers: headers)
            let decoder = JSONDecoder()
            decoder.dateDecodingStrategy = .iso8601
            let data = try decoder.decode(AnnualReportData.self, from: Data(buffer: annex.body))

            // validate: the board and the refusal the demo shows
            #expect(board.states["accepted"] == 24 && board.states["not-started"] == 1 && board.states["draft"] == 2)
            #expect(board.teams.filter(\.late).isEmpty, "this year's deadline is next January")
            // last year's, closed: every member's accepted, two of them late
            #expect(lastYear.states["accepted"] == 27 && lastYear.teams.count == 27)
            #expect(Set(lastYear.teams.filter(\.late).map(\.team)) == ["brucert", "vncert"])
            #expect(credentials.notes.contains { $0.hasPrefix("NUSCERT's upload was refused") && $0.contains("row 2") })
            // the figures equal the records, counted apart from the statistics code
            let year = ReportingPeriod(year: 2026)!
            let stored = try await Incident.query(on: app.db).filter(\.$reportedAt >= year.start)
                .filter(\.$reportedAt < year.end).filter(\.$tlp != .red).all()
            #expect(figures.counters.reports == stored.count)
            #expect(figures.counters.incidents == stored.filter { $0.duplicateOfID == nil }.count)
            #expect(figures.byTaxonomy.filter { $0.total > 0 }.count == 9, "every class the demo draws from")
            #expect(figures.monthTotals.allSatisfy { $0 > 0 }, "every month of the year has incidents")
            // golden: these change only when the generator does
            #expect(figures.counters.reports == 932)
            #expect(figures.counters.incidents == 893)
            #expect(figures.counters.crossBorder == 239)
            // the report: every member's section, JPCERT/CC by its own categories, a flagged team
            #expect(data.teams?.count == 27 && data.teams?.filter(\.submitted).count == 24)
            let jpcert = try #require(data.teams?.first { $0.team == "jpcert-cc" })
            #expect(jpcert.byTaxonomy.contains { $0.taxonomy == "other" } && jpcert.total > 0)
            #expect(data.comparisons?.first { $0.team == "twcert-cc" }?.flag == "measured-more")
            #expect(data.sensors?.ports.byPackets.first?.service == "tcp/23", "the demo's busiest service")
            // the year's governance among its activities: the AGM held in Concord, the vote closed
            let governance = data.activities?.governance ?? []
            #expect(
                governance.contains {
                    $0.title.hasPrefix("Annual General Meeting")
                        && $0.outcome.hasPrefix("14 of 19 voting members present or represented; resolutions AGM-")
                })
            #expect(
                governance.contains {
                    $0.title.hasSuffix("The forum's information-sharing guidelines")
                        && $0.outcome.hasPrefix("carried as VOTE-")
                        && $0.outcome.hasSuffix(": 11 yes, 1 no, 2 abstain, 14 of 19 voting members voted")
                })
            #expect(governance.map(\.date) == governance.map(\.date).sorted(), "in the order they happened")
            // the database's aggregates equal the figures counted incident by incident
            let admin = try #require(try await User.query(on: app.db).filter(\.$email == DemoLoader.adminEmail).first())
            let principal = Principal(
                userID: try admin.requireID(), email: admin.email, teamID: admin.$team.id, role: .forumAdmin,
                scopes: [.read, .write], nationalTeams: [])
            let caller = Caller(
                principal: principal, policy: Policy(principal: principal), db: app.db, clock: app.clock, app: app,
                actor: .init(name: admin.email, userID: admin.id, remoteAddress: nil, clock: app.clock))
            for labels in [nil, EditionContents.countedLabels(in: .clear)] as [Set<TLPLabel>?] {
                var query = StatisticsService.Query(period: year)
                query.labels = labels
                query.cutoff = Self.now.addingTimeInterval(-40 * 86_400)
                let window = (from: year.start, to: query.cutoff ?? year.end)
                let aggregated = try await StatisticsAggregates.count(query, period: year, window: window, on: app.db)
                let rows = try await StatisticsService.rows(query, window: window, economies: [:], caller: caller)
                let economies = try await StatisticsService.economies(on: app.db)
                let byRow = StatisticsService.counted(
                    rows.filter { $0.tlp != .red }, period: year, team: nil, economies: economies, cutoff: query.cutoff)
                #expect(aggregated.counters == byRow.counters)
                #expect(aggregated.table == byRow.table)
                #expect(
                    aggregated.acknowledge == byRow.acknowledge && aggregated.acknowledgeOpen == byRow.acknowledgeOpen)
                #expect(aggregated.resolve == byRow.resolve && aggregated.resolveOpen == byRow.resolveOpen)
                #expect(aggregated.escalations == byRow.escalations && aggregated.acknowledgeOpen > 0)
            }
        }
    }
}
