import Foundation
import Testing
import Vapor
import VaporTesting

@testable import ConcordServer

/// The after-action report's page renders its figures for the secretariat (the end-to-end drill
/// reads it in a browser).
@Suite struct DrillReportPageTests {
    @Test func theReportPageShowsItsFigures() async throws {
        try await withApp { app in
            let forum = try await TestForum.seed(app)
            let start = Date(timeIntervalSince1970: 1_796_263_200)
            app.drillClock = ManualDrillClock(start)
            let drill = try await DrillTests.plan(start: start, forum: forum, app: app)
            try await DrillScheduler.runDue(at: start, mailedAt: app.clock.now(), on: app.db)
            let secretariat = try await WebSession.start(app, as: .forumAdmin)
            let page = try await secretariat.send(.GET, "/drills/\(drill)/report", form: [:], app: app)
            #expect(page.status == .ok, "\(page.body.string.prefix(2000))")
            #expect(page.body.string.contains(#"id="figures""#))
        }
    }
}
