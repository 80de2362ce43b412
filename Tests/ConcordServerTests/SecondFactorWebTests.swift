import ConcordCore
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import ConcordServer

/// A user's own second factor on `/account` (issue 17 §5): on only after a code from the new secret
/// is typed back (that code then cannot log in again), required at login from then on, off only
/// with a current code; refusals in place, nothing changed by them.
@Suite struct SecondFactorWebTests {
    static func secret(in html: String) -> [UInt8]? {
        html.firstMatch(of: #/<code class="fingerprint" id="totp-secret">([A-Z2-7 ]+)</code>/#)
            .flatMap { TOTP.base32Decode(String($0.output.1).replacingOccurrences(of: " ", with: "")) }
    }

    @Test func aUserTurnsTheSecondFactorOnWithACodeAndOffWithAnother() async throws {
        try await withApp { app in
            // setup
            _ = try await TestForum.seed(app)
            let clock = ManualClock(Date(timeIntervalSince1970: 1_800_000_000))
            app.clock = clock
            let user = try await WebSession.start(app, as: .handler)
            let before = try await user.send(.GET, "/account", form: [:], app: app).body.string

            // act: start, a wrong code, the right one
            _ = try await user.post("/account/totp", fields: [], app: app)
            let setup = try await user.send(.GET, "/account", form: [:], app: app)
            let key = try #require(Self.secret(in: setup.body.string))
            let wrong = try await user.post("/account/totp/enable", fields: [("code", "000000")], app: app)
            let stillOff = try await User.query(on: app.db).filter(\.$email == "handler@test.example").first()
            let code = TOTP.code(secret: key, time: clock.now())
            let enabled = try await user.post("/account/totp/enable", fields: [("code", code)], app: app)
            let on = try await user.send(.GET, "/account", form: [:], app: app).body.string

            // validate
            #expect(before.contains(#"id="totp-start""#) && before.contains(#"href="/account/password""#))
            #expect(setup.headers.first(name: .cacheControl) == "no-store")
            #expect(setup.body.string.contains("otpauth://totp/Concord%3Ahandler@test.example?secret="))
            #expect(
                wrong.status == .unprocessableEntity && wrong.body.string.contains("not the app&#39;s current code"))
            #expect(stillOff?.totpSecret == nil)
            #expect(enabled.status == .seeOther)
            #expect(on.contains("Second factor on: from now on") && on.contains(#"id="totp-on""#))
            #expect(Self.secret(in: on) == nil, "the secret is not shown again")

            // act: logging in now needs a code, and the one typed at setup is spent
            let passwordOnly = try await LoginThrottleTests.login(
                "handler@test.example", "correct horse handler", session: try await WebSession.fresh(app), app: app)
            let spent = try await LoginThrottleTests.login(
                "handler@test.example", "correct horse handler", totp: code, session: try await WebSession.fresh(app),
                app: app)
            clock.advance(30)
            let next = TOTP.code(secret: key, time: clock.now())
            let withCode = try await LoginThrottleTests.login(
                "handler@test.example", "correct horse handler", totp: next, session: try await WebSession.fresh(app),
                app: app)

            // validate
            #expect(passwordOnly.status == .unauthorized)
            #expect(spent.status == .unauthorized)
            #expect(withCode.status == .seeOther)

            // act: off needs a current, unused code
            let offSpent = try await user.post("/account/totp/disable", fields: [("code", next)], app: app)
            clock.advance(30)
            let off = try await user.post(
                "/account/totp/disable", fields: [("code", TOTP.code(secret: key, time: clock.now()))], app: app)
            let after = try await user.send(.GET, "/account", form: [:], app: app).body.string

            // validate
            #expect(offSpent.status == .unprocessableEntity)
            #expect(off.status == .seeOther)
            #expect(after.contains("Second factor off") && after.contains(#"id="totp-start""#))
            let stored = try await User.query(on: app.db).filter(\.$email == "handler@test.example").first()
            #expect(stored?.totpSecret == nil)
            let summaries = try await AuditEntry.query(on: app.db).filter(\.$action == "user.totp").all().map(\.summary)
            #expect(
                summaries.sorted() == ["second factor turned off by its owner", "second factor turned on by its owner"])
        }
    }

    @Test func enablingWithoutASetupIsRefused() async throws {
        try await withApp { app in
            _ = try await TestForum.seed(app)
            let user = try await WebSession.start(app, as: .observer)
            let refused = try await user.post("/account/totp/enable", fields: [("code", "123456")], app: app)
            let offWithoutFactor = try await user.post("/account/totp/disable", fields: [("code", "123456")], app: app)
            #expect(refused.status == .unprocessableEntity && refused.body.string.contains("the setup has expired"))
            #expect(offWithoutFactor.status == .conflict)
            let stored = try await User.query(on: app.db).filter(\.$email == "observer@test.example").first()
            #expect(stored?.totpSecret == nil)
        }
    }
}
