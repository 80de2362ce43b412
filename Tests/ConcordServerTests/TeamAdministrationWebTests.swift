import ConcordCore
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import ConcordServer

/// The directory's administration in the browser (issue 17 §5): a team's admin edits its
/// constituency on the team page (routing follows at once, bad values are refused in place), and
/// the forum-wide roles create a new team from a form.
@Suite struct TeamAdministrationWebTests {
    static func lookup(_ ip: String, _ forum: TestForum, _ app: Application) async throws -> [String] {
        let answer = try await app.testing().send(
            .GET, "/api/v1/lookup?ip=\(ip)", headers: forum.headers(.handler))
        return try answer.content.decode(LookupResultDTO.self).matches.map(\.team.slug)
    }

    @Test func aTeamAdminAddsAndRemovesAPrefixAndRoutingFollows() async throws {
        try await withApp { app in
            // setup
            let forum = try await TestForum.seed(app)
            let admin = try await WebSession.start(app, as: .teamAdmin)
            let page = try await admin.send(.GET, "/teams/singcert", form: [:], app: app).body.string
            #expect(page.contains(#"action="/teams/singcert/constituency""#))
            #expect(!(try await Self.lookup("192.0.2.10", forum, app)).contains("singcert"))

            // act: add
            let added = try await admin.post(
                "/teams/singcert/constituency", fields: [("kind", "prefix"), ("value", " 192.0.2.0/24 ")], app: app)
            let shown = try await admin.send(.GET, "/teams/singcert", form: [:], app: app).body.string

            // validate
            #expect(added.status == .seeOther)
            #expect(shown.contains("Added IP prefix 192.0.2.0/24; reports for it now route to SingCERT."))
            #expect(shown.contains("<code>192.0.2.0/24</code>"))
            #expect(try await Self.lookup("192.0.2.10", forum, app).first == "singcert")

            // act: remove, then the flash is gone on the next visit
            let removed = try await admin.post(
                "/teams/singcert/constituency/delete", fields: [("kind", "prefix"), ("value", "192.0.2.0/24")],
                app: app)
            let after = try await admin.send(.GET, "/teams/singcert", form: [:], app: app).body.string
            let again = try await admin.send(.GET, "/teams/singcert", form: [:], app: app).body.string

            // validate
            #expect(removed.status == .seeOther)
            #expect(after.contains("Removed IP prefix 192.0.2.0/24 from SingCERT&#39;s constituency."))
            #expect(!again.contains("Removed IP prefix"))
            #expect(!(try await Self.lookup("192.0.2.10", forum, app)).contains("singcert"))
            let actions = try await AuditEntry.query(on: app.db).all().map(\.action)
            #expect(actions.contains("constituency.add") && actions.contains("constituency.remove"))
        }
    }

    @Test func aBadOrRepeatedValueIsRefusedInPlaceWithWhatWasTyped() async throws {
        try await withApp { app in
            // setup
            _ = try await TestForum.seed(app)
            let admin = try await WebSession.start(app, as: .teamAdmin)
            let before = try await ConstituencyEntry.query(on: app.db).count()

            // act
            let bad = try await admin.post(
                "/teams/singcert/constituency", fields: [("kind", "prefix"), ("value", "10.0.0.0/33")], app: app)
            let notANumber = try await admin.post(
                "/teams/singcert/constituency", fields: [("kind", "asn"), ("value", "ASX")], app: app)
            let repeated = try await admin.post(
                "/teams/singcert/constituency", fields: [("kind", "prefix"), ("value", "198.51.100.96/27")], app: app)
            let unknownKind = try await admin.post(
                "/teams/singcert/constituency", fields: [("kind", "economy"), ("value", "x")], app: app)
            let notListed = try await admin.post(
                "/teams/singcert/constituency/delete", fields: [("kind", "domain"), ("value", "other.example")],
                app: app)

            // validate
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.body.string.contains(#"id="constituency-error""#))
            #expect(bad.body.string.contains("10.0.0.0/33:"))
            #expect(bad.body.string.contains(#"value="10.0.0.0/33""#), "what was typed is kept")
            #expect(notANumber.status == .unprocessableEntity)
            #expect(notANumber.body.string.contains("is not an AS number"))
            #expect(notANumber.body.string.contains(#"<option value="asn" selected>"#))
            #expect(repeated.status == .conflict)
            #expect(repeated.body.string.contains("SingCERT already lists 198.51.100.96/27"))
            #expect(unknownKind.status == .unprocessableEntity)
            #expect(notListed.status == .notFound)
            #expect(try await ConstituencyEntry.query(on: app.db).count() == before)
        }
    }

    @Test func twoAdminsAddingTheSamePrefixAtOnceStoreItOnce() async throws {
        try await withApp(sqliteFile: true) { app in
            // setup
            let forum = try await TestForum.seed(app)
            let body = try JSONEncoder().encode(["kind": "prefix", "value": "203.0.113.0/24"])
            let headers: HTTPHeaders = {
                var headers = forum.headers(.teamAdmin)
                headers.contentType = .json
                return headers
            }()

            // act
            let statuses = try await withThrowingTaskGroup(of: HTTPStatus.self) { group in
                for _ in 0..<6 {
                    group.addTask {
                        try await app.testing().send(
                            .POST, "/api/v1/teams/singcert/constituency", headers: headers, body: ByteBuffer(data: body)
                        ).status
                    }
                }
                return try await group.reduce(into: [HTTPStatus]()) { $0.append($1) }
            }

            // validate
            #expect(statuses.filter { $0 == .created }.count == 1)
            #expect(statuses.filter { $0 == .conflict }.count == 5)
            let stored = try await ConstituencyEntry.query(on: app.db).filter(\.$value == "203.0.113.0/24").count()
            #expect(stored == 1)
            #expect(try await AuditEntry.query(on: app.db).filter(\.$action == "constituency.add").count() == 1)
        }
    }

    @Test func theSecretariatCreatesATeamFromAFormThatNamesWhatIsWrong() async throws {
        try await withApp { app in
            // setup
            let forum = try await TestForum.seed(app)
            let secretariat = try await WebSession.start(app, as: .secretariat)
            let form = try await secretariat.send(.GET, "/admin/teams/new", form: [:], app: app)
            let directory = try await secretariat.send(.GET, "/", form: [:], app: app).body.string
            let teams = try await Team.query(on: app.db).count()
            let fields = [
                ("shortName", "MyCERT"), ("slug", "mycert"), ("fullName", "Malaysia CERT"),
                ("economy", forum.japanID.uuidString), ("category", "general"), ("hostOrganisation", ""),
                ("website", ""), ("joinedOn", "2026-12-01"), ("timeZone", "Asia/Kuala_Lumpur"),
            ]

            // act: missing and wrong fields, a slug taken, then right
            let missing = try await secretariat.post(
                "/admin/teams/new", fields: [("shortName", "MyCERT"), ("slug", "My CERT"), ("website", "ftp://x")],
                app: app)
            let taken = try await secretariat.post(
                "/admin/teams/new", fields: fields.map { $0.0 == "slug" ? ("slug", "singcert") : $0 }, app: app)
            let created = try await secretariat.post("/admin/teams/new", fields: fields, app: app)
            let page = try await secretariat.send(.GET, "/teams/mycert", form: [:], app: app).body.string

            // validate
            #expect(
                form.status == .ok && form.body.string.contains(#"<option value="general">General member</option>"#))
            #expect(directory.contains(#"href="/admin/teams/new""#))
            #expect(missing.status == .unprocessableEntity)
            for words in [
                "Slug: must be 2–40 lower-case letters", "Full name: is required", "Economy: is required",
                "Membership category: is required", "Website: must be an http(s) URL",
            ] {
                #expect(missing.body.string.contains(words), "\(words)")
            }
            #expect(missing.body.string.contains(#"value="MyCERT""#), "what was typed is kept")
            #expect(taken.status == .conflict && taken.body.string.contains("slug &#39;singcert&#39; exists already"))
            #expect(created.status == .seeOther && created.headers.first(name: .location) == "/teams/mycert")
            #expect(page.contains("MyCERT joined the directory."))
            #expect(try await Team.query(on: app.db).count() == teams + 1)
            let team = try #require(try await Team.query(on: app.db).filter(\.$slug == "mycert").first())
            #expect(team.status == .active && team.joinedOn == "2026-12-01")
            let handler = try await WebSession.start(app, as: .handler)
            #expect(try await handler.send(.GET, "/admin/teams/new", form: [:], app: app).status == .forbidden)
            #expect(!(try await handler.send(.GET, "/", form: [:], app: app).body.string).contains("/admin/teams/new"))
        }
    }
}
