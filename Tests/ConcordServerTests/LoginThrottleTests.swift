import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import ConcordServer

/// Failed logins slow down, never lock (issue 16, S2–S4): the same answer for real and unknown
/// accounts, tokens and open sessions untouched, the owner mailed, the second factor lifting the
/// wait, and a code that logs in once.
@Suite struct LoginThrottleTests {
    static func login(
        _ email: String, _ password: String, totp: String? = nil, session: WebSession, app: Application
    ) async throws -> TestingHTTPResponse {
        var form = ["email": email, "password": password]
        form["totp"] = totp
        return try await session.send(.POST, "/login", form: form, app: app)
    }

    @Test func failuresSlowTheAccountDownAlikeForRealAndUnknownAndNeverStopItsTokensOrSessions() async throws {
        try await withApp { app in
            // setup: the test configuration allows 3 failures per account; an open session and a token
            let forum = try await TestForum.seed(app)
            let clock = ManualClock(Date(timeIntervalSince1970: 1_796_421_000))
            app.clock = clock
            let open = try await WebSession.start(app, as: .handler)
            let session = try await WebSession.fresh(app)
            // act: three wrong passwords for a real account and for an unknown one, then the right one
            var answers: [String: [HTTPResponseStatus]] = [:]
            var refusal: [String: TestingHTTPResponse] = [:]
            for email in ["handler@test.example", "nobody@test.example"] {
                for _ in 0..<3 {
                    answers[email, default: []].append(
                        try await Self.login(email, "guess", session: session, app: app).status)
                }
                refusal[email] = try await Self.login(email, "correct horse handler", session: session, app: app)
            }
            // validate: the same answers, a wait with Retry-After, not a lock
            #expect(answers["handler@test.example"] == [.unauthorized, .unauthorized, .unauthorized])
            #expect(answers["nobody@test.example"] == answers["handler@test.example"])
            let real = try #require(refusal["handler@test.example"])
            let unknown = try #require(refusal["nobody@test.example"])
            #expect(real.status == .tooManyRequests && unknown.status == .tooManyRequests)
            #expect(real.headers.first(name: .retryAfter) == "1")
            #expect(unknown.headers.first(name: .retryAfter) == real.headers.first(name: .retryAfter))
            #expect(real.body.string.contains("too many failed logins") && unknown.body.string.contains("too many"))
            // the token and the session opened before keep working
            let me = try await app.testing().send(.GET, "/api/v1/me", headers: forum.headers(.handler))
            #expect(me.status == .ok)
            #expect(try await open.send(.GET, "/incidents", form: [:], app: app).status == .ok)
            // the owner is told once; nobody's address gets nothing
            let notices = try await OutboxMessage.query(on: app.db).filter(\.$purpose == "account-notice").all()
            #expect(notices.map(\.recipient) == ["handler@test.example"])
            #expect(notices.first?.body.contains("second factor") == true)
            // the wait passes; one more failure makes it longer, and mails nobody again
            clock.advance(2)
            let again = try await Self.login("handler@test.example", "guess", session: session, app: app)
            let waiting = try await Self.login(
                "handler@test.example", "correct horse handler", session: session, app: app)
            #expect(again.status == .unauthorized && waiting.status == .tooManyRequests)
            #expect(waiting.headers.first(name: .retryAfter) == "2", "the wait doubled")
            #expect(try await OutboxMessage.query(on: app.db).filter(\.$purpose == "account-notice").count() == 1)
            // the wait passes: the right password logs in
            clock.advance(5)
            let later = try await Self.login(
                "handler@test.example", "correct horse handler", session: session, app: app)
            #expect(later.status == .seeOther)
            let summaries = try await AuditEntry.query(on: app.db).filter(\.$action ~~ "login.").all().map(\.summary)
            #expect(summaries.allSatisfy { !$0.contains("guess") && !$0.contains("correct horse") })
        }
    }

    @Test func delaysGrowAndStopAtFifteenMinutes() {
        #expect(LoginThrottle.delay(afterFailures: 2, allowance: 3) == nil)
        #expect(
            (3...7).map { LoginThrottle.delay(afterFailures: $0, allowance: 3) } == [1, 2, 4, 8, 16])
        #expect(LoginThrottle.delay(afterFailures: 40, allowance: 3) == LoginThrottle.longestDelay)
    }

    @Test func anotherAddressIsNotSlowedByThisOnesFailuresForItsOwnAccount() async throws {
        try await withApp { app in
            _ = try await TestForum.seed(app)
            let keys = LoginThrottle.keys(address: "192.0.2.1", email: "observer@test.example")
            let other = LoginThrottle.keys(address: "192.0.2.2", email: "handler@test.example")
            let now = app.clock.now()
            for _ in 0..<3 {
                _ = try await LoginThrottle.recordFailure(keys, accountThreshold: 3, now: now, on: app.db)
            }
            #expect(
                try await LoginThrottle.waits(keys, now: now, on: app.db).keys.sorted { $0.rawValue < $1.rawValue }
                    == [.account, .pair])
            #expect(try await LoginThrottle.waits(other, now: now, on: app.db).isEmpty)
        }
    }

    @Test func theSecondFactorLiftsAnAccountsWaitAndACodeLogsInOnce() async throws {
        try await withApp { app in
            // setup: the clock stands still, so the account's wait cannot run out on a slow machine
            app.clock = FixedClock()
            _ = try await TestForum.seed(app)
            let uri = try await AccountService.enableTOTP(email: "observer@test.example", app: app)
            let encoded = try #require(uri.components(separatedBy: "secret=").last?.components(separatedBy: "&").first)
            let key = try #require(TOTP.base32Decode(encoded))
            // the account waits after failures from elsewhere
            let elsewhere = LoginThrottle.keys(address: "192.0.2.9", email: "observer@test.example")
            for _ in 0..<5 {
                _ = try await LoginThrottle.recordFailure(
                    elsewhere, accountThreshold: 3, now: app.clock.now(), on: app.db)
            }
            let session = try await WebSession.fresh(app)
            // act
            let passwordOnly = try await Self.login(
                "observer@test.example", "correct horse observer", session: session, app: app)
            let code = TOTP.code(secret: key, time: app.clock.now())
            let withCode = try await Self.login(
                "observer@test.example", "correct horse observer", totp: code, session: session, app: app)
            let again = try await Self.login(
                "observer@test.example", "correct horse observer", totp: code, session: try await WebSession.fresh(app),
                app: app)
            // validate
            #expect(passwordOnly.status == .tooManyRequests)
            #expect(withCode.status == .seeOther, "the second factor lifts the wait")
            #expect(again.status == .unauthorized, "the same code does not log in twice")
            let waits = try await LoginThrottle.waits(elsewhere, now: app.clock.now(), on: app.db)
            #expect(waits[.account] == nil, "the account's wait is lifted")
        }
    }

    @Test func twoLoginsWithOneCodeAtOnceLetOneIn() async throws {
        try await withApp(sqliteFile: true) { app in
            _ = try await TestForum.seed(app)
            let uri = try await AccountService.enableTOTP(email: "observer@test.example", app: app)
            let encoded = try #require(uri.components(separatedBy: "secret=").last?.components(separatedBy: "&").first)
            let key = try #require(TOTP.base32Decode(encoded))
            let code = TOTP.code(secret: key, time: app.clock.now())
            let first = try await WebSession.fresh(app)
            let second = try await WebSession.fresh(app)
            async let a = Self.login(
                "observer@test.example", "correct horse observer", totp: code, session: first, app: app)
            async let b = Self.login(
                "observer@test.example", "correct horse observer", totp: code, session: second, app: app)
            let statuses = try await [a.status, b.status]
            #expect(statuses.filter { $0 == .seeOther }.count == 1, "\(statuses)")
            #expect(statuses.filter { $0 == .unauthorized }.count == 1, "\(statuses)")
        }
    }
}
