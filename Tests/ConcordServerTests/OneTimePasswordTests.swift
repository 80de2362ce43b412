import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import ConcordServer

/// A one-time password is one-time (issue 17 §5): the first login with a password Concord
/// generated leads to the page that replaces it, every other page waits until it has, and the
/// generated password does not log in again.
@Suite struct OneTimePasswordTests {
    @Test func theFirstLoginMustChooseANewPasswordAndTheOldOneIsRetired() async throws {
        try await withApp { app in
            // setup: an account made as `concord user create` makes one
            _ = try await TestForum.seed(app)
            let account = try await AccountService.createUser(
                email: "new.handler@test.example", teamSlug: "singcert", role: "handler", app: app)
            var session = try await WebSession.fresh(app)
            // act: log in with the generated password
            let login = try await session.send(
                .POST, "/login", form: ["email": account.email, "password": account.password, "next": "/incidents"],
                app: app)
            session.cookie = login.headers.setCookie?["concord_session"]?.string ?? session.cookie
            let elsewhere = try await session.send(.GET, "/", form: [:], app: app)
            let page = try await session.send(.GET, "/account/password", form: [:], app: app)
            session.csrf = WebSession.csrfToken(in: page.body.string) ?? ""
            let wrongCurrent = try await session.send(
                .POST, "/account/password",
                form: ["current": "not it", "new": "a long new passphrase", "confirm": "a long new passphrase"],
                app: app)
            let tooShort = try await session.send(
                .POST, "/account/password", form: ["current": account.password, "new": "short", "confirm": "short"],
                app: app)
            let changed = try await session.send(
                .POST, "/account/password",
                form: [
                    "current": account.password, "new": "a long new passphrase", "confirm": "a long new passphrase",
                    "next": "/incidents",
                ], app: app)
            let afterwards = try await session.send(.GET, "/", form: [:], app: app)
            let oldAgain = try await WebSession.fresh(app).send(
                .POST, "/login", form: ["email": account.email, "password": account.password], app: app)
            let newLogin = try await WebSession.fresh(app).send(
                .POST, "/login", form: ["email": account.email, "password": "a long new passphrase"], app: app)
            // validate
            #expect(login.status == .seeOther)
            #expect(login.headers.first(name: .location) == "/account/password?next=%2Fincidents")
            #expect(
                elsewhere.status == .seeOther
                    && elsewhere.headers.first(name: .location) == "/account/password?next=%2F")
            #expect(page.status == .ok && page.body.string.contains("id=\"password-required\""))
            #expect(
                wrongCurrent.status == .unprocessableEntity
                    && wrongCurrent.body.string.contains("not your current password"))
            #expect(tooShort.status == .unprocessableEntity && tooShort.body.string.contains("at least 12 characters"))
            #expect(changed.status == .seeOther && changed.headers.first(name: .location) == "/incidents")
            #expect(afterwards.status == .ok)
            #expect(oldAgain.status == .unauthorized, "the generated password logs in once")
            #expect(newLogin.status == .seeOther && newLogin.headers.first(name: .location) == "/desk")
            let user = try #require(try await User.query(on: app.db).filter(\.$email == account.email).first())
            #expect(!user.mustChangePassword)
            let audit = try await AuditEntry.query(on: app.db).filter(\.$action == "user.password").count()
            #expect(audit == 1)
        }
    }

    /// Wrong current passwords count as failed logins: the page cannot be used to guess the
    /// password faster than the login form, even from a session already open.
    @Test func wrongCurrentPasswordsWaitLikeFailedLogins() async throws {
        try await withApp { app in
            // setup: the clock stands still, so a wait cannot run out during the test
            app.clock = FixedClock()
            _ = try await TestForum.seed(app)
            var session = try await WebSession.start(app, as: .handler)
            let page = try await session.send(.GET, "/account/password", form: [:], app: app)
            session.csrf = WebSession.csrfToken(in: page.body.string) ?? ""
            func attempt(_ current: String) async throws -> TestingHTTPResponse {
                try await session.send(
                    .POST, "/account/password",
                    form: ["current": current, "new": "a long new passphrase", "confirm": "a long new passphrase"],
                    app: app)
            }
            // act
            var statuses: [HTTPResponseStatus] = []
            for guess in 0..<8 { statuses.append(try await attempt("guess \(guess)").status) }
            let right = try await attempt("correct horse handler")
            // validate
            #expect(statuses.first == .unprocessableEntity)
            #expect(statuses.contains(.tooManyRequests), "\(statuses.map(\.code))")
            #expect(right.status == .tooManyRequests && right.headers.first(name: .retryAfter) != nil)
        }
    }

    /// Handlers' demo passwords and accounts made before this rule are not one-time.
    @Test func anOrdinaryPasswordGoesStraightIn() async throws {
        try await withApp { app in
            _ = try await TestForum.seed(app)
            let login = try await WebSession.fresh(app).send(
                .POST, "/login", form: ["email": "handler@test.example", "password": "correct horse handler"], app: app)
            #expect(login.status == .seeOther && login.headers.first(name: .location) == "/desk")
        }
    }
}
