import ConcordCore
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import ConcordServer

/// The TLP property, extended to the statistics and the report's editions (issue 18 §5): random
/// incidents under random labels (RED named to random people) by random reporters; then every
/// member's statistics count exactly the incidents the incident list shows that member (the one
/// policy, whether the database aggregates or rows are judged one by one), and each edition counts
/// exactly the labels it may, whoever builds it, with no incident's title in any of its files.
@Suite struct StatisticsPolicyPropertyTests {
    static let reporters: [Actor] = [.handler, .teamAdmin, .teamAdminOther, .secretariat]
    static let observables = ["198.51.100.100", "198.51.100.113", "2001:db8:800::1", "192.0.2.1"]
    static let people = ["handler@test.example", "observer@test.example", "secretariat@test.example"]

    @Test(arguments: [UInt64.random(in: 1...UInt64.max)])
    func statisticsAndEditionsCountOnlyWhatTheRulesAllow(seed: UInt64) async throws {
        try await withApp { app in
            // setup
            let forum = try await TestForum.seed(app)
            app.reportPrinter = TextPrinter()
            app.clock = FixedClock(ReportSubmissionTests.december.addingTimeInterval(-86_400))
            var rng = SplitMix64(seed: seed)
            var labels: [TLPLabel] = []
            for index in 0..<30 {
                let label = TLPLabel.allCases.randomElement(using: &rng)!
                var body: [String: AnyEncodable] = [
                    "title": .init("Secret-\(index) \(seed)"),
                    "classification": .init(
                        ["fraud/phishing", "intrusions/system-compromise", "test/test"][index % 3]),
                    "tlp": .init(label.rawValue),
                    "observables": .init([["value": Self.observables.randomElement(using: &rng)!]]),
                ]
                if label == .red { body["recipients"] = .init([Self.people.randomElement(using: &rng)!]) }
                let reporter = Self.reporters.randomElement(using: &rng)!
                let response = try await IncidentTests.report(body, as: reporter, forum: forum, app: app)
                #expect(response.status == .created, "seed \(seed): \(response.body.string)")
                if index % 3 != 2 { labels.append(label) }
            }
            app.clock = FixedClock(ReportSubmissionTests.december)
            try await ReportSubmissionTests.open(forum, app: app)

            // act and validate: each member's figures are the incidents the list shows them
            for actor in Actor.allCases where actor != .anonymous {
                let listed = try await app.testing().send(
                    .GET, "/api/v1/incidents?limit=1000&since=2026-01-01T00:00:00Z", headers: forum.headers(actor)
                ).content.decode([IncidentSummaryDTO].self)
                let year = ReportingPeriod(year: 2026)!
                let visible = listed.filter {
                    !$0.classification.hasPrefix("test") && $0.reportedAt >= year.start && $0.reportedAt < year.end
                }.count
                let figures = try await StatisticsAPITests.figures("year=2026", as: actor, forum: forum, app: app)
                #expect(figures.counters.reports == visible, "seed \(seed): \(actor.rawValue)")
            }
            for (edition, counted) in [
                ("clear", Set<TLPLabel>([.clear, .green])), ("amber", [.clear, .green, .amber]),
            ] {
                for builder in [Actor.secretariat, .forumAdmin] {
                    let response = try await ReportSubmissionTests.send(
                        .POST, "/reporting-years/2026/editions", ["tlp": edition], as: builder, forum: forum, app: app)
                    let built = try response.content.decode(ReportEditionDTO.self)
                    var texts: [String] = []
                    for name in ["report.html", "data.json", "tables.csv"] {
                        texts.append(
                            String(
                                decoding: try await ReportEditionTests.file(built, name, forum: forum, app: app),
                                as: UTF8.self))
                    }
                    let data = try ReportEditionTests.annex(Data(texts[1].utf8))
                    let year = ReportingPeriod(year: 2026)!
                    let expected = try await Incident.query(on: app.db).filter(\.$reportedAt >= year.start)
                        .filter(\.$reportedAt < ReportSubmissionTests.december).filter(\.$taxonomy != "test").all()
                        .filter { counted.contains($0.tlp) }.count
                    #expect(expected >= labels.filter(counted.contains).count)
                    #expect(data.measured?.counters.reports == expected, "seed \(seed): \(edition) by \(builder)")
                    #expect(texts.allSatisfy { !$0.contains("Secret-") }, "seed \(seed): a title in an edition")
                }
            }
        }
    }
}
