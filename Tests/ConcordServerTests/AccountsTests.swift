import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import ConcordServer

@Suite struct AccountsTests {
    @Test func tokensAreStoredOnlyAsHashes() async throws {
        try await withApp { app in
            // setup
            let forum = try await TestForum.seed(app)
            let account = try await AccountService.createUser(
                email: "New.Handler@SG.example", teamSlug: "singcert", role: "handler", app: app)
            // act
            let token = try await AccountService.createToken(
                email: account.email, name: "cli", scopes: ["read"], expiresInDays: nil, app: app)
            // validate
            let stored = try await APIToken.query(on: app.db).all()
            #expect(stored.count == forum.tokens.count + 1)
            #expect(!stored.contains { $0.tokenHash == token.secret || $0.tokenHash.contains(token.secret) })
            #expect(stored.contains { $0.tokenHash == TokenService.hash(token.secret) })
            #expect(token.secret.hasPrefix("concord_") && token.secret.count > 40)
            let user = try #require(
                try await User.query(on: app.db).filter(\.$email == "new.handler@sg.example").first())
            #expect(user.passwordHash != account.password && user.passwordHash.hasPrefix("$2"))
            #expect(try app.password.verify(account.password, created: user.passwordHash))
            let audit = try await AuditEntry.query(on: app.db).all().map(\.action)
            #expect(audit.contains("user.create") && audit.contains("token.create"))
            #expect(
                try await AuditEntry.query(on: app.db).all().allSatisfy {
                    !$0.summary.contains(token.secret) && !$0.summary.contains(account.password)
                })
        }
    }

    @Test func readScopeCannotWriteAndExpiredTokensAreRefused() async throws {
        try await withApp { app in
            _ = try await TestForum.seed(app)
            let readOnly = try await AccountService.createToken(
                email: "secretariat@test.example", name: "ro", scopes: ["read"], expiresInDays: nil, app: app)
            var headers = HTTPHeaders()
            headers.bearerAuthorization = .init(token: readOnly.secret)
            #expect(try await app.testing().send(.GET, "/api/v1/economies", headers: headers).status == .ok)
            let write = try await app.testing().send(
                .POST, "/api/v1/economies", headers: headers, body: json(["name": "Mongolia"]))
            #expect(write.status == .forbidden)

            let clock = ManualClock(app.clock.now())
            app.clock = clock
            let expired = try await AccountService.createToken(
                email: "secretariat@test.example", name: "old", scopes: [], expiresInDays: 1, app: app)
            clock.advance(2 * 86_400)
            headers.bearerAuthorization = .init(token: expired.secret)
            #expect(try await app.testing().send(.GET, "/api/v1/economies", headers: headers).status == .unauthorized)
            headers.bearerAuthorization = .init(token: "concord_forged")
            #expect(try await app.testing().send(.GET, "/api/v1/economies", headers: headers).status == .unauthorized)
        }
    }

    @Test func cliErrorsAreClear() async throws {
        try await withApp { app in
            _ = try await TestForum.seed(app)
            await #expect(
                throws: ConcordError.invalid(
                    field: "role", "must be one of forum-admin, secretariat, team-admin, handler, observer")
            ) {
                _ = try await AccountService.createUser(
                    email: "a@sg.example", teamSlug: "singcert", role: "boss", app: app)
            }
            await #expect(throws: ConcordError.notFound("team 'nope'")) {
                _ = try await AccountService.createUser(
                    email: "a@sg.example", teamSlug: "nope", role: "handler", app: app)
            }
            await #expect(throws: ConcordError(.conflict, "a user with e-mail handler@test.example exists already")) {
                _ = try await AccountService.createUser(
                    email: "handler@test.example", teamSlug: "singcert", role: "handler", app: app)
            }
        }
    }

    @Test func systemEndpoints() async throws {
        try await withApp { app in
            let health = try await app.testing().send(.GET, "/api/v1/health")
            #expect(health.status == .ok)
            #expect(
                try health.content.decode([String: String].self) == [
                    "status": "ok", "database": TestDatabase.url == nil ? "sqlite" : "postgresql",
                ])
            #expect(health.headers.first(name: "X-Content-Type-Options") == "nosniff")
            let spec = try await app.testing().send(.GET, "/api/v1/openapi.yaml")
            #expect(String(buffer: spec.body).hasPrefix("openapi: 3.1"))
            let metrics = try await app.testing().send(.GET, "/metrics")
            #expect(
                String(buffer: metrics.body).contains(
                    "concord_http_requests_total{method=\"GET\",route=\"/api/v1/health\",status=\"2xx\"} 1"))
        }
    }
}

@Suite struct AuditLogTests {
    @Test func theDatabaseRefusesToChangeOrDeleteAuditLines() async throws {
        try await withApp { app in
            // setup
            try await AuditLog.recordSystem(
                "test", actor: "cli", targetType: "forum", targetID: nil, summary: "original", clock: app.clock,
                on: app.db)
            let entry = try #require(try await AuditEntry.query(on: app.db).first())
            // act / validate
            entry.summary = "rewritten"
            await #expect(throws: (any Error).self) { try await entry.save(on: app.db) }
            await #expect(throws: (any Error).self) { try await entry.delete(on: app.db) }
            await #expect(throws: (any Error).self) { try await AuditEntry.query(on: app.db).delete() }
            let stored = try await AuditEntry.query(on: app.db).all()
            #expect(stored.map(\.summary) == ["original"])
        }
    }
}
