import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import ConcordServer

/// Defaults that hold without an operator remembering them (issue 16, S9): HTTPS forums get Secure
/// cookies and HSTS, /metrics is not open beyond loopback, tokens expire and show when last used.
@Suite struct SecureDefaultsTests {
    private func read(_ environment: [String: String]) throws -> ConcordConfiguration {
        try ConcordConfiguration.fromEnvironment(environment.merging(["CONCORD_DATA_DIR": "/tmp/x"]) { a, _ in a })
    }

    @Test func anHTTPSForumGetsSecureCookiesUnlessItSaysOtherwise() throws {
        #expect(try read(["CONCORD_PUBLIC_URL": "https://concord.forum.example"]).secureCookies)
        #expect(!(try read(["CONCORD_PUBLIC_URL": "https://127.0.0.1:8443"]).secureCookies))
        #expect(!(try read(["CONCORD_PUBLIC_URL": "https://localhost"]).secureCookies))
        #expect(!(try read(["CONCORD_PUBLIC_URL": "http://concord.forum.example"]).secureCookies))
        #expect(!(try read([:]).secureCookies))
        #expect(
            !(try read(["CONCORD_PUBLIC_URL": "https://concord.forum.example", "CONCORD_SECURE_COOKIES": "0"])
                .secureCookies))
    }

    private static func publicHTTPS(_ configuration: inout ConcordConfiguration) {
        configuration.publicURL = "https://concord.forum.example"
    }

    @Test func anHTTPSForumSendsHSTSAndALocalOneDoesNot() async throws {
        try await withApp(adjust: Self.publicHTTPS) { app in
            let health = try await app.testing().send(.GET, "/api/v1/health")
            #expect(health.headers.first(name: "Strict-Transport-Security") == "max-age=31536000")
        }
        try await withApp { app in
            let health = try await app.testing().send(.GET, "/api/v1/health")
            #expect(health.headers.first(name: "Strict-Transport-Security") == nil)
        }
    }

    @Test func metricsAreOpenOnlyOnLoopbackWithoutAToken() async throws {
        try await withApp { app in
            let local = try await app.testing().send(.GET, "/metrics")
            app.http.server.configuration.hostname = "0.0.0.0"
            let exposed = try await app.testing().send(.GET, "/metrics")
            app.concord.metricsToken = "m3trics"
            var headers = HTTPHeaders()
            headers.bearerAuthorization = .init(token: "m3trics")
            let withToken = try await app.testing().send(.GET, "/metrics", headers: headers)
            let withoutToken = try await app.testing().send(.GET, "/metrics")
            #expect(local.status == .ok)
            #expect(exposed.status == .forbidden && exposed.body.string.contains("CONCORD_METRICS_TOKEN"))
            #expect(withToken.status == .ok && withoutToken.status == .unauthorized)
            #expect(
                SystemController.listensOnLoopbackOnly("::1") && SystemController.listensOnLoopbackOnly("localhost"))
            #expect(!SystemController.listensOnLoopbackOnly("192.0.2.1"))
        }
    }

    @Test func tokensExpireInAYearAndTheirOwnerSeesWhenTheyWereLastUsed() async throws {
        try await withApp { app in
            // setup
            _ = try await TestForum.seed(app)
            let clock = ManualClock(Date(timeIntervalSince1970: 1_796_421_000))
            app.clock = clock
            let token = try await AccountService.createToken(
                email: "observer@test.example", name: "soc", scopes: ["read"], expiresInDays: nil, app: app)
            let tooLong = await #expect(throws: ConcordError.self) {
                try await AccountService.createToken(
                    email: "observer@test.example", name: "x", scopes: [], expiresInDays: 5000, app: app)
            }
            // act
            clock.advance(60)
            var headers = HTTPHeaders()
            headers.bearerAuthorization = .init(token: token.secret)
            let me = try await app.testing().send(.GET, "/api/v1/me", headers: headers)
            // validate
            #expect(tooLong?.code == .validation)
            let decoder = JSONDecoder()
            decoder.dateDecodingStrategy = .iso8601
            let seen = try decoder.decode(SystemController.Me.self, from: Data(me.body.readableBytesView))
            let mine = try #require(seen.tokens.first { $0.name == "soc" })
            #expect(mine.expiresAt == Date(timeIntervalSince1970: 1_796_421_000 + 365 * 86_400))
            #expect(mine.lastUsedAt == clock.now())
            #expect(!me.body.string.contains(token.secret))
            #expect(seen.tokens.allSatisfy { $0.name != "" })
        }
    }
}
