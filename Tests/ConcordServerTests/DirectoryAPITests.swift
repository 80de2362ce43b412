import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import ConcordServer

@Suite struct DirectoryAPITests {
    struct Problem: Decodable {
        struct FieldError: Decodable {
            let field: String
            let detail: String
        }
        let type: String
        let status: Int
        let errors: [FieldError]?
    }

    @Test func economyAndTeamCRUDWithAudit() async throws {
        try await withApp { app in
            // setup
            let forum = try await TestForum.seed(app)
            let secretariat = forum.headers(.secretariat)
            // act: create an economy and a team in it
            let economy = try await app.testing().send(
                .POST, "/api/v1/economies", headers: secretariat,
                body: json(["name": "Mongolia", "isoCode": "MN"]))
            #expect(economy.status == .created)
            let created = try await app.testing().send(
                .POST, "/api/v1/teams", headers: secretariat,
                body: json([
                    "slug": "moncirt", "shortName": "MonCIRT", "fullName": "Mongolian Cyber Incident Response Team",
                    "economy": "MN", "category": "general", "timeZone": "Asia/Ulaanbaatar", "joinedOn": "2011-09-01",
                ]))
            #expect(created.status == .created)
            // act: update it as the secretariat, then read it as a handler of another team
            let patched = try await app.testing().send(
                .PATCH, "/api/v1/teams/moncirt", headers: secretariat,
                body: json(["website": "https://www.mn.example/", "internalNotes": "secret"]))
            #expect(patched.status == .ok)
            let seen = try await app.testing().send(.GET, "/api/v1/teams/moncirt", headers: forum.headers(.handler))
            let team = try seen.content.decode(TeamDTO.self)
            // validate
            #expect(team.website == "https://www.mn.example/")
            #expect(team.economy.isoCode == "MN")
            #expect(team.category.slug == "general")
            #expect(team.statusHistory.map(\.status.rawValue) == ["active"])
            #expect(team.internalNotes == nil, "a handler of another team must not see internal notes")
            let audit = try await AuditEntry.query(on: app.db).sort(\.$at).all()
            #expect(audit.map(\.action) == ["economy.create", "team.create", "team.update"])
            #expect(audit.allSatisfy { $0.actor == "secretariat@test.example" })
            // act: delete it
            let deleted = try await app.testing().send(.DELETE, "/api/v1/teams/moncirt", headers: secretariat)
            #expect(deleted.status == .noContent)
            #expect(try await Team.query(on: app.db).filter(\.$slug == "moncirt").count() == 0)
        }
    }

    @Test func categoriesAreConfiguredWithTheirRights() async throws {
        try await withApp { app in
            let forum = try await TestForum.seed(app)
            let created = try await app.testing().send(
                .POST, "/api/v1/categories", headers: forum.headers(.secretariat),
                body: json(
                    CategoryController.CategoryInput(
                        slug: "partner", name: "Partner", mayVote: false, takesPartInDrills: false)))
            #expect(created.status == .created)
            let changed = try await app.testing().send(
                .PATCH, "/api/v1/categories/general", headers: forum.headers(.secretariat),
                body: json(CategoryController.CategoryInput(mayVote: true)))
            #expect(try changed.content.decode(CategoryDTO.self).mayVote)
            let duplicate = try await app.testing().send(
                .POST, "/api/v1/categories", headers: forum.headers(.secretariat),
                body: json(CategoryController.CategoryInput(slug: "partner", name: "Again")))
            #expect(duplicate.status == .conflict)
            let bad = try await app.testing().send(
                .POST, "/api/v1/categories", headers: forum.headers(.secretariat),
                body: json(CategoryController.CategoryInput(slug: "Bad Slug", name: "")))
            #expect(bad.status == .unprocessableEntity)
            let list = try await app.testing().send(.GET, "/api/v1/categories", headers: forum.headers(.observer))
            #expect(try list.content.decode([CategoryDTO].self).map(\.slug) == ["full", "general", "partner"])
            let audit = try await AuditEntry.query(on: app.db).all().map(\.action)
            #expect(audit.filter { $0.hasPrefix("category.") }.sorted() == ["category.create", "category.update"])
        }
    }

    @Test func validationNamesTheFieldAndWritesNothing() async throws {
        try await withApp { app in
            // setup
            let forum = try await TestForum.seed(app)
            let before = try await ConstituencyEntry.query(on: app.db).count()
            // act
            let response = try await app.testing().send(
                .PUT, "/api/v1/teams/singcert/constituency", headers: forum.headers(.teamAdmin),
                body: json([
                    "prefixes": ["198.51.100.96/27", "198.51.100.7/24", "300.1.1.0/24"], "asns": ["AS4294967295"],
                    "domains": ["-bad-.example"], "economies": ["5A6F0E2D-0000-4000-8000-000000000000"],
                ]))
            // validate
            #expect(response.status == .unprocessableEntity)
            #expect(response.headers.contentType?.description == "application/problem+json")
            let problem = try JSONDecoder().decode(Problem.self, from: Data(buffer: response.body))
            #expect(problem.type.hasSuffix("validation-failed"))
            #expect(
                problem.errors?.map(\.field) == ["prefixes[1]", "prefixes[2]", "asns[0]", "domains[0]", "economies[0]"])
            #expect(problem.errors?.first?.detail.contains("198.51.100.0/24") == true)
            #expect(try await ConstituencyEntry.query(on: app.db).count() == before, "nothing may be half-written")
        }
    }

    @Test func teamInputValidation() async throws {
        try await withApp { app in
            let forum = try await TestForum.seed(app)
            let cases: [([String: String], String)] = [
                (["slug": "x y", "shortName": "A", "fullName": "A", "economy": "JP", "category": "full"], "slug"),
                (
                    ["slug": "newteam", "shortName": "A", "fullName": "A", "economy": "XX", "category": "full"],
                    "economy"
                ),
                (
                    ["slug": "newteam", "shortName": "A", "fullName": "A", "economy": "JP", "category": "vip"],
                    "category"
                ),
                (
                    [
                        "slug": "newteam", "shortName": "A", "fullName": "A", "economy": "JP", "category": "full",
                        "timeZone": "Mars/Base",
                    ], "timeZone"
                ),
                (
                    [
                        "slug": "newteam", "shortName": "A", "fullName": "A", "economy": "JP", "category": "full",
                        "joinedOn": "2026-02-30",
                    ], "joinedOn"
                ),
            ]
            for (body, field) in cases {
                let response = try await app.testing().send(
                    .POST, "/api/v1/teams", headers: forum.headers(.forumAdmin), body: json(body))
                #expect(response.status == .unprocessableEntity, "\(field)")
                let problem = try JSONDecoder().decode(Problem.self, from: Data(buffer: response.body))
                #expect(
                    problem.errors?.map(\.field).contains(field) == true, "\(field): \(String(buffer: response.body))")
            }
            let malformed = try await app.testing().send(
                .POST, "/api/v1/teams", headers: forum.headers(.forumAdmin),
                body: ByteBuffer(string: "{not json"), contentType: .json)
            #expect(malformed.status == .badRequest)
            #expect(try await Team.query(on: app.db).count() == 3)
        }
    }

    @Test func privateContactsOnlyForTheTeamAndSecretariat() async throws {
        try await withApp { app in
            let forum = try await TestForum.seed(app)
            for (actor, seesPrivate) in [
                (Actor.teamAdminOther, false), (.handler, true), (.observer, true), (.secretariat, true),
            ] {
                let response = try await app.testing().send(
                    .GET, "/api/v1/teams/singcert/contacts", headers: forum.headers(actor))
                let ids = try response.content.decode([ContactDTO].self).map(\.id)
                #expect(ids.contains(forum.singcertContactID))
                #expect(ids.contains(forum.singcertPrivateContactID) == seesPrivate, "\(actor)")
            }
            // A hidden contact is answered as missing, not as forbidden.
            let probe = try await app.testing().send(
                .PATCH, "/api/v1/teams/singcert/contacts/\(forum.singcertPrivateContactID)",
                headers: forum.headers(.teamAdminOther),
                body: json(["value": "x"]))
            #expect(probe.status == .notFound)
        }
    }

    @Test func constituencyAddAndRemoveRebuildRouting() async throws {
        try await withApp { app in
            let forum = try await TestForum.seed(app)
            let admin = forum.headers(.teamAdmin)
            let add = try await app.testing().send(
                .POST, "/api/v1/teams/singcert/constituency", headers: admin,
                body: json(["kind": "prefix", "value": "2001:DB8:900::/40"]))
            #expect(add.status == .created)
            #expect(try add.content.decode(ConstituencyDTO.self).prefixes.contains("2001:db8:900::/40"))
            let routed = try await app.testing().send(.GET, "/api/v1/lookup?ip=2001:db8:900::1", headers: admin)
            #expect(try routed.content.decode(LookupResultDTO.self).matches.first?.team.slug == "singcert")
            let removed = try await app.testing().send(
                .DELETE, "/api/v1/teams/singcert/constituency?kind=prefix&value=2001:db8:900::/40", headers: admin)
            #expect(removed.status == .noContent)
            let after = try await app.testing().send(.GET, "/api/v1/lookup?ip=2001:db8:900::1", headers: admin)
            #expect(try after.content.decode(LookupResultDTO.self).matches.first?.basis == "secretariat")
        }
    }
}

func json(_ value: some Encodable) -> ByteBuffer {
    ByteBuffer(data: (try? JSONEncoder().encode(value)) ?? Data())
}

extension TestingApplicationTester {
    /// Sends a request whose path may carry a query string, with a JSON content type when it has a body.
    func send(
        _ method: HTTPMethod, _ path: String, headers: HTTPHeaders = [:], body: ByteBuffer? = nil,
        contentType: HTTPMediaType = .json
    ) async throws -> TestingHTTPResponse {
        var headers = headers
        if body != nil { headers.contentType = contentType }
        return try await performTest(
            request: .init(method: method, url: URI(string: path), headers: headers, body: body ?? ByteBuffer()))
    }
}
