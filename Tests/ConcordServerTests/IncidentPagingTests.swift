import Fluent
import FluentSQL
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import ConcordServer

/// `GET /incidents` pages by keyset: following the `Link: rel="next"` headers visits every
/// incident once, newest first, even where several were reported at the same instant; a cursor
/// the forum did not give out is refused.
@Suite struct IncidentPagingTests {
    @Test func followingTheNextLinksVisitsEveryIncidentOnceNewestFirst() async throws {
        try await withApp { app in
            // setup: eight reports, five of them at one instant (the id breaks the tie)
            let forum = try await TestForum.seed(app)
            let before = try await Incident.query(on: app.db).count()
            for index in 0..<8 {
                _ = try await OutboxDeliveryTests.reportScan(
                    forum, app, tlp: index.isMultiple(of: 2) ? "TLP:GREEN" : "TLP:CLEAR")
            }
            let sql = try #require(app.db as? any SQLDatabase)
            let tie = Date(timeIntervalSince1970: 1_796_000_000.123456)
            let tied = try await Incident.query(on: app.db).sort(\.$number).limit(5).all()
            try await sql.raw(
                "UPDATE incidents SET reported_at = \(bind: tie) WHERE id IN (\(binds: tied.map { try $0.requireID() }))"
            )
            .run()
            let whole = try await Self.numbers(
                of: app.testing().send(
                    .GET, "/api/v1/incidents?limit=1000", headers: forum.headers(.secretariat)))

            // act: pages of three
            var paged: [String] = []
            var links: [String] = []
            var next: String? = "/api/v1/incidents?limit=3"
            while let path = next, links.count < 10 {
                let page = try await app.testing().send(.GET, path, headers: forum.headers(.secretariat))
                #expect(page.status == .ok)
                paged += try Self.numbers(of: page)
                next = page.headers.first(name: "Link").flatMap(Self.nextPath)
                if let next { links.append(next) }
            }

            // validate
            #expect(whole.count == before + 8)
            #expect(paged == whole, "the pages, joined, are the whole list in its order")
            #expect(Set(paged).count == paged.count, "no incident twice")
            #expect(links.count == whole.count / 3, "pages of 3: a next link after each full page")
            #expect(links.allSatisfy { $0.contains("limit=3") }, "the next link keeps the query")
        }
    }

    @Test func aCursorTheForumDidNotGiveOutIsRefused() async throws {
        try await withApp { app in
            // setup
            let forum = try await TestForum.seed(app)
            let forged = app.serverSecret.signedCursor("incidents|0|not-a-uuid")
            let tampered = app.serverSecret.signedCursor(IncidentCursor(id: UUID()).payload) + "x"

            // act
            var answers: [TestingHTTPResponse] = []
            for cursor in ["garbage", forged, tampered] {
                let escaped = cursor.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? cursor
                answers.append(
                    try await app.testing().send(
                        .GET, "/api/v1/incidents?cursor=\(escaped)", headers: forum.headers(.handler)))
            }

            // validate
            for answer in answers {
                #expect(answer.status == .unprocessableEntity)
                #expect(answer.headers.contentType?.description.contains("problem+json") == true)
                #expect(answer.body.string.contains("cursor"))
            }
        }
    }

    static func numbers(of response: TestingHTTPResponse) throws -> [String] {
        try response.content.decode([IncidentSummaryDTO].self).map(\.number)
    }

    /// The path and query of a `Link: <…>; rel="next"` value.
    static func nextPath(_ link: String) -> String? {
        guard link.hasSuffix("rel=\"next\""), let open = link.firstIndex(of: "<"), let close = link.firstIndex(of: ">")
        else { return nil }
        return String(link[link.index(after: open)..<close])
    }
}
