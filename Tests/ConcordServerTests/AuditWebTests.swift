import ConcordCore
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import ConcordServer

/// The audit log in the browser (issue 17 §5): for the forum-wide roles only, newest first, paged,
/// narrowed by actor, action and object on the page and the API alike, and never a line about an
/// incident the reader may not read.
@Suite struct AuditWebTests {
    static func seedLines(_ app: Application, red: String) async throws {
        let clock = FixedClock()
        for (action, actor, type, id) in [
            ("team.update", "admin@test.example", "team", "singcert"),
            ("token.create", "handler@test.example", "user", "handler@test.example"),
            ("incident.report", "handler@test.example", "incident", "INC-2026-000001"),
            ("incident.report", "team-admin-other@test.example", "incident", red),
        ] {
            try await AuditLog.recordSystem(
                action, actor: actor, targetType: type, targetID: id, summary: "\(action) of \(id)", clock: clock,
                on: app.db)
        }
    }

    static func actions(_ html: String) -> [String] {
        html.matches(of: #/<tr class="audit-line" data-action="([^"]+)">/#).map { String($0.output.1) }
    }

    @Test func theSecretariatFiltersTheLogButNeverSeesARedIncidentsLines() async throws {
        try await withApp { app in
            let now = FixedClock().time
            let forum = try await TestForum.seed(app)
            let queue = try await DeskTests.seedQueue(app, forum, now: now)
            try await Self.seedLines(app, red: queue.red)
            let secretariat = try await WebSession.start(app, as: .secretariat)
            func page(_ query: String) async throws -> String {
                let response = try await secretariat.send(.GET, "/admin/audit" + query, form: [:], app: app)
                #expect(response.status == .ok, "\(query)")
                return response.body.string
            }
            let all = try await page("")
            #expect(all.contains(#"id="nav-audit" href="/admin/audit" aria-current="page""#))
            #expect(!all.contains(queue.red), "the RED incident's line is left out")
            #expect(Self.actions(try await page("?action=token.create")) == ["token.create"])
            #expect(Self.actions(try await page("?action=incident.")) == ["incident.report"])
            #expect(
                Self.actions(try await page("?actor=HANDLER@test.example")).sorted() == [
                    "incident.report", "token.create",
                ])
            #expect(Self.actions(try await page("?target=team:singcert")) == ["team.update"])
            #expect(Self.actions(try await page("?target=incident:\(queue.red)")).isEmpty)
            let api = try await app.testing().send(
                .GET, "/api/v1/audit?action=incident.&target=incident", headers: forum.headers(.secretariat))
            let lines = try api.content.decode([AuditController.EntryDTO].self)
            #expect(lines.map(\.targetId) == ["INC-2026-000001"])
        }
    }

    @Test func pagesAndRefusals() async throws {
        try await withApp { app in
            let forum = try await TestForum.seed(app)
            for index in 1...AuditWebController.pageSize + 5 {
                try await AuditLog.recordSystem(
                    "test.line", actor: "cli", targetType: "team", targetID: "t\(index)", summary: "line \(index)",
                    clock: FixedClock(), on: app.db)
            }
            let secretariat = try await WebSession.start(app, as: .secretariat)
            let first = try await secretariat.send(.GET, "/admin/audit?action=test.line", form: [:], app: app).body
                .string
            #expect(Self.actions(first).count == AuditWebController.pageSize)
            #expect(first.contains(#"id="page-next" href="/admin/audit?action=test.line&amp;page=2""#))
            let second = try await secretariat.send(
                .GET, "/admin/audit?action=test.line&page=2", form: [:], app: app
            ).body.string
            #expect(Self.actions(second).count == 5)
            let long = try await secretariat.send(
                .GET, "/admin/audit?actor=" + String(repeating: "a", count: 201), form: [:], app: app)
            #expect(long.status == .unprocessableEntity && long.body.string.contains("at most 200 characters"))
            let handler = try await WebSession.start(app, as: .handler)
            #expect(try await handler.send(.GET, "/admin/audit", form: [:], app: app).status == .forbidden)
            let page = try await handler.send(.GET, "/desk", form: [:], app: app).body.string
            #expect(!page.contains("nav-audit"), "the menu shows the page only to those who may open it")
            _ = forum
        }
    }
}
