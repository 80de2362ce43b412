import ConcordCore
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import ConcordServer

/// A user's own API tokens in the browser (issue 17 §5): created with a name, scopes and lifetime,
/// the secret shown once and stored only as a hash, listed with expiry and last use, revoked by
/// their owner only, every change audited, bad input refused in place with nothing stored.
@Suite struct TokensWebTests {
    static func secret(in html: String) -> String? {
        html.firstMatch(of: #/<code class="fingerprint" id="token-secret">(concord_[A-Za-z0-9_-]+)</code>/#)
            .map { String($0.output.1) }
    }

    @Test func aUserCreatesUsesAndRevokesATokenOfTheirOwn() async throws {
        try await withApp { app in
            let forum = try await TestForum.seed(app)
            _ = forum
            let handler = try await WebSession.start(app, as: .handler)
            let created = try await handler.post(
                "/account/tokens", fields: [("name", "ci script"), ("read", "1"), ("days", "30")], app: app)
            #expect(created.status == .ok)
            #expect(created.headers.first(name: .cacheControl) == "no-store")
            let secret = try #require(Self.secret(in: created.body.string))
            let stored = try #require(
                try await APIToken.query(on: app.db).filter(\.$name == "ci script").first())
            #expect(stored.tokenHash == TokenService.hash(secret) && stored.tokenHash != secret)
            #expect(stored.scopes == "read")
            var bearer = HTTPHeaders()
            bearer.bearerAuthorization = .init(token: secret)
            #expect(try await app.testing().send(.GET, "/api/v1/me", headers: bearer).status == .ok)

            let list = try await handler.send(.GET, "/account/tokens", form: [:], app: app).body.string
            #expect(list.contains(#"data-name="ci script""#) && Self.secret(in: list) == nil, "shown once")
            let id = try stored.requireID().uuidString

            let stranger = try await WebSession.start(app, as: .teamAdmin)
            let refused = try await stranger.post("/account/tokens/\(id)/revoke", fields: [], app: app)
            #expect(refused.status == .notFound, "another user's token is not found")
            #expect(try await APIToken.find(stored.requireID(), on: app.db) != nil)

            let revoked = try await handler.post("/account/tokens/\(id)/revoke", fields: [], app: app)
            #expect(revoked.status == .seeOther)
            let after = try await handler.send(.GET, "/account/tokens", form: [:], app: app).body.string
            #expect(after.contains("Token &#39;ci script&#39; revoked") || after.contains("Token 'ci script' revoked"))
            #expect(try await app.testing().send(.GET, "/api/v1/me", headers: bearer).status == .unauthorized)
            let actions = try await AuditEntry.query(on: app.db).all().map(\.action)
            #expect(actions.contains("token.create") && actions.contains("token.revoke"))
        }
    }

    @Test func badInputIsRefusedInPlaceAndStoresNothing() async throws {
        try await withApp { app in
            _ = try await TestForum.seed(app)
            let handler = try await WebSession.start(app, as: .handler)
            let before = try await APIToken.query(on: app.db).count()
            for (fields, words) in [
                ([("name", " "), ("read", "1")], "Name: must be 1–100 characters"),
                ([("name", "x"), ("read", "1"), ("days", "abc")], "Valid for: must be a number of days"),
                ([("name", "x"), ("read", "1"), ("days", "0")], "Valid for: must be 1 to 3650 days"),
                ([("name", "kept name")], "Scopes: tick read, write or both"),
            ] {
                let page = try await handler.post("/account/tokens", fields: fields, app: app)
                #expect(page.status == .unprocessableEntity, "\(fields)")
                #expect(page.body.string.contains(words), "\(fields)")
            }
            let kept = try await handler.post("/account/tokens", fields: [("name", "kept name")], app: app)
            #expect(kept.body.string.contains(#"value="kept name""#))
            #expect(try await APIToken.query(on: app.db).count() == before)
        }
    }
}
