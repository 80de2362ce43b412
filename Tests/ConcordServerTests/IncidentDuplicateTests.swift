import ConcordCore
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import ConcordServer

/// Duplicates merged (issue 18 §1): an incident merged into another is closed and counts as a
/// report, not an incident; a chain merges into its root; two merges of a pair at once make no cycle.
@Suite struct IncidentDuplicateTests {
    static func report(_ title: String, forum: TestForum, app: Application) async throws -> String {
        let response = try await IncidentTests.report(
            [
                "title": .init(title), "classification": .init("fraud/phishing"), "tlp": .init("TLP:GREEN"),
                "observables": .init([["value": "198.51.100.100"]]),
            ], as: .handler, forum: forum, app: app)
        #expect(response.status == .created)
        return try response.content.decode(IncidentDTO.self).number
    }

    static func merge(_ number: String, into target: String, as actor: Actor, forum: TestForum, app: Application)
        async throws -> TestingHTTPResponse
    {
        try await app.testing().send(
            .POST, "/api/v1/incidents/\(number)/duplicate-of", headers: forum.headers(actor),
            body: json(["incident": target]))
    }

    @Test func aMergedIncidentIsAReportNotAnIncident() async throws {
        try await withApp { app in
            // setup
            let forum = try await TestForum.seed(app)
            let before = try await StatisticsAPITests.figures("", as: .secretariat, forum: forum, app: app)
            let first = try await Self.report("phish one", forum: forum, app: app)
            let second = try await Self.report("phish again", forum: forum, app: app)
            let third = try await Self.report("phish thrice", forum: forum, app: app)

            // act
            let byObserver = try await Self.merge(second, into: first, as: .observer, forum: forum, app: app)
            let itself = try await Self.merge(second, into: second, as: .handler, forum: forum, app: app)
            let unknown = try await Self.merge(second, into: "INC-1999-000001", as: .handler, forum: forum, app: app)
            let merged = try await Self.merge(second, into: first, as: .handler, forum: forum, app: app)
            let again = try await Self.merge(second, into: first, as: .handler, forum: forum, app: app)
            let chained = try await Self.merge(third, into: second, as: .secretariat, forum: forum, app: app)
            let after = try await StatisticsAPITests.figures("", as: .secretariat, forum: forum, app: app)

            // validate
            #expect(byObserver.status == .forbidden && itself.status == .unprocessableEntity)
            #expect(unknown.status == .notFound && merged.status == .ok && again.status == .conflict)
            #expect(chained.status == .ok)
            let rows = try await Incident.query(on: app.db).filter(\.$number ~~ [first, second, third]).all()
            let root = try #require(rows.first { $0.number == first })
            #expect(rows.filter { $0.duplicateOfID == root.id }.count == 2, "a chain is merged into its root")
            #expect(rows.filter { $0.number != first }.allSatisfy { $0.closedAt != nil } && root.closedAt == nil)
            #expect(after.counters.reports == before.counters.reports + 3)
            #expect(after.counters.incidents == before.counters.incidents + 1)
            let timeline = try await IncidentTimelineEntry.query(on: app.db).filter(\.$incident.$id == root.requireID())
                .all().map(\.text)
            #expect(timeline.contains("\(second) was merged into this one"))
        }
    }

    @Test func twoPeopleMergingAPairEachIntoTheOtherMakeNoCycle() async throws {
        try await withApp(sqliteFile: true) { app in
            // setup
            let forum = try await TestForum.seed(app)
            let first = try await Self.report("first", forum: forum, app: app)
            let second = try await Self.report("second", forum: forum, app: app)

            // act
            async let one = Self.merge(first, into: second, as: .handler, forum: forum, app: app)
            async let two = Self.merge(second, into: first, as: .secretariat, forum: forum, app: app)
            let statuses = [try await one.status, try await two.status]

            // validate
            #expect(statuses.filter { $0 == .ok }.count == 1 && statuses.filter { $0 == .conflict }.count == 1)
            let rows = try await Incident.query(on: app.db).filter(\.$number ~~ [first, second]).all()
            #expect(rows.filter { $0.duplicateOfID != nil }.count == 1)
        }
    }
}
