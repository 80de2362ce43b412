import ConcordCore
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import ConcordServer

/// Drills planned in the browser from the scenario library (issue 17 §5): the secretariat picks a
/// scenario, a title and a start (the scenario's, now, or a UTC time) and lands on the drill's
/// page; a wrong start or scenario is named on the library page and plans nothing; teams cannot.
@Suite struct DrillPlanWebTests {
    static func scenario(_ app: Application, _ forum: TestForum) async throws -> UUID {
        let uploaded = try await app.testing().send(
            .POST, "/api/v1/drill-scenarios", headers: forum.headers(.secretariat),
            body: try DrillTests.body(
                DrillScenarioInput(
                    source: DrillTests.scenario,
                    files: ["fw.log": Data("DROP 203.0.113.50".utf8).base64EncodedString()])))
        return try uploaded.content.decode(DrillScenarioDTO.self).id
    }

    @Test func theSecretariatPlansADrillAtAUTCTimeAndLandsOnItsPage() async throws {
        try await withApp { app in
            let forum = try await TestForum.seed(app)
            let scenario = try await Self.scenario(app, forum)
            let secretariat = try await WebSession.start(app, as: .secretariat)
            let library = try await secretariat.send(.GET, "/drills/scenarios", form: [:], app: app).body.string
            #expect(
                library.contains(#"<option value="\#(scenario.uuidString)">"#)
                    || library.contains(scenario.uuidString.lowercased()))
            let planned = try await secretariat.post(
                "/drills",
                fields: [
                    ("scenario", scenario.uuidString), ("title", "Year-end drill"), ("when", "at"),
                    ("at", "2030-03-01T09:30"),
                ], app: app)
            #expect(planned.status == .seeOther)
            let drill = try #require(try await Drill.query(on: app.db).filter(\.$title == "Year-end drill").first())
            #expect(drill.startsAt == Date(timeIntervalSince1970: 1_898_587_800), "09:30 UTC on 1 March 2030")
            #expect(drill.state == .scheduled)
            #expect(
                planned.headers.first(name: .location) == "/drills/\(try drill.requireID().uuidString.lowercased())")
            let now = try await secretariat.post(
                "/drills", fields: [("scenario", scenario.uuidString), ("when", "now")], app: app)
            #expect(now.status == .seeOther)
            #expect(try await Drill.query(on: app.db).count() == 2)
        }
    }

    @Test func aWrongPlanIsNamedAndPlansNothing() async throws {
        try await withApp { app in
            let forum = try await TestForum.seed(app)
            let scenario = try await Self.scenario(app, forum)
            let secretariat = try await WebSession.start(app, as: .secretariat)
            let badTime = try await secretariat.post(
                "/drills", fields: [("scenario", scenario.uuidString), ("when", "at"), ("at", "next tuesday")], app: app
            )
            #expect(badTime.status == .unprocessableEntity)
            #expect(badTime.body.string.contains("is not a time (YYYY-MM-DD HH:MM, UTC)"))
            let noScenario = try await secretariat.post(
                "/drills", fields: [("scenario", UUID().uuidString), ("when", "now")], app: app)
            #expect(noScenario.status == .unprocessableEntity && noScenario.body.string.contains("no such scenario"))
            #expect(try await Drill.query(on: app.db).count() == 0)
            let handler = try await WebSession.start(app, as: .handler)
            let refused = try await handler.post(
                "/drills", fields: [("scenario", scenario.uuidString), ("when", "now")], app: app)
            #expect(refused.status == .forbidden)
            #expect(try await Drill.query(on: app.db).count() == 0)
        }
    }
}
