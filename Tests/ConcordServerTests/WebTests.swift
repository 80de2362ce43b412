import ConcordTestTools
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import ConcordServer

@Suite struct WebTests {
    @Test func formsWithoutTheRightCSRFTokenAreRefusedAndChangeNothing() async throws {
        try await withApp { app in
            // setup
            _ = try await TestForum.seed(app)
            let session = try await WebSession.start(app, as: .teamAdmin)
            // act
            let forged = try await session.send(
                .POST, "/teams/singcert/edit", form: ["fullName": "Hijacked"], csrf: "forged", app: app)
            let missing = try await session.send(
                .POST, "/teams/singcert/edit", form: ["fullName": "Hijacked"], csrf: "", app: app)
            let genuine = try await session.send(
                .POST, "/teams/singcert/edit", form: ["fullName": "SingCERT renamed"], app: app)
            // validate
            #expect(forged.status == .forbidden && missing.status == .forbidden)
            #expect(genuine.status == .seeOther)
            let team = try await Team.query(on: app.db).filter(\.$slug == "singcert").first()
            #expect(team?.fullName == "SingCERT renamed")
            let page = try await session.send(.GET, "/teams/singcert", form: [:], app: app)
            #expect(String(buffer: page.body).contains("SingCERT renamed"))
        }
    }

    /// Every form the pages post to (all of them, as registered, new ones included) refuses a
    /// forged token before its route runs.
    @Test func everyWebFormRefusesAForgedCSRFToken() async throws {
        try await withApp { app in
            // setup
            _ = try await TestForum.seed(app)
            let session = try await WebSession.start(app, as: .forumAdmin)
            let posts = app.routes.all.filter { route in
                let path = "/" + route.path.map(\.description).joined(separator: "/")
                return route.method == .POST && !path.hasPrefix("/api/") && !path.hasPrefix("/taxii2")
            }
            let audited = try await AuditEntry.query(on: app.db).count()

            // act
            var answers: [String: HTTPStatus] = [:]
            for route in posts {
                let path =
                    "/"
                    + route.path.map { $0.description.hasPrefix(":") ? "x" : $0.description }
                    .joined(separator: "/")
                answers[path] = try await session.send(.POST, path, form: ["value": "1"], csrf: "forged", app: app)
                    .status
            }

            // validate
            #expect(posts.count >= 30, "\(posts.count) forms")
            #expect(answers.filter { $0.value != .forbidden }.isEmpty, "\(answers.filter { $0.value != .forbidden })")
            #expect(try await AuditEntry.query(on: app.db).count() == audited)
        }
    }

    @Test(.needs(.gpg)) func teamAdminsManageContactsOnTheWeb() async throws {
        try await withApp { app in
            // setup
            let forum = try await TestForum.seed(app)
            let key = try await DemoKeyMaker(gnupg: LiveGnuPG(path: "gpg"), now: app.clock.now()).makeKey(
                name: "SingCERT duty", email: "duty@sg.example", createdDaysAgo: 1, validDays: 400)
            let session = try await WebSession.start(app, as: .teamAdmin)
            // act: add an e-mail contact with a key, mark the old one verified, remove the hotline
            let added = try await session.send(
                .POST, "/teams/singcert/contacts",
                form: [
                    "kind": "emergency-email", "value": "duty@sg.example", "availability": "24x7", "published": "1",
                    "pgpKey": key,
                ], app: app)
            let stale = try await Contact.find(forum.singcertContactID, on: app.db)
            stale?.lastVerifiedOn = "2020-01-01"
            try await stale?.save(on: app.db)
            let verified = try await session.send(
                .POST, "/teams/singcert/contacts/\(forum.singcertContactID)/verify", form: [:], app: app)
            let removed = try await session.send(
                .POST, "/teams/singcert/contacts/\(forum.singcertPrivateContactID)/delete", form: [:], app: app)
            let bad = try await session.send(
                .POST, "/teams/singcert/contacts",
                form: ["kind": "emergency-email", "value": "not-an-address", "availability": "24x7"], app: app)
            // validate
            #expect([added.status, verified.status, removed.status] == [.seeOther, .seeOther, .seeOther])
            #expect(bad.status == .unprocessableEntity)
            let contacts = try await Contact.query(on: app.db).filter(
                \.$team.$id
                    == (try await Team.query(on: app.db).filter(\.$slug == "singcert").first()?.requireID() ?? UUID())
            ).all()
            #expect(contacts.map(\.value).sorted() == ["cert@sg.example", "duty@sg.example"])
            #expect(contacts.first { $0.value == "duty@sg.example" }?.pgpFingerprint?.count == 40)
            #expect(contacts.first { $0.value == "cert@sg.example" }?.lastVerifiedOn == ISODate.string(Date()))
            let page = String(buffer: try await session.send(.GET, "/teams/singcert", form: [:], app: app).body)
            #expect(page.contains("duty@sg.example") && page.contains("Verified today"))
            let lookup = try await app.testing().send(
                .GET, "/api/v1/lookup?ip=198.51.100.100", headers: forum.headers(.handler))
            #expect(
                try lookup.content.decode(LookupResultDTO.self).matches.first?.team.pointsOfContact.map(\.value)
                    .contains("duty@sg.example") == true,
                "a new 24/7 contact is in the next lookup answer")
        }
    }

    @Test func editFormShowsValidationErrors() async throws {
        try await withApp { app in
            _ = try await TestForum.seed(app)
            let session = try await WebSession.start(app, as: .secretariat)
            let response = try await session.send(
                .POST, "/teams/singcert/edit", form: ["timeZone": "Nowhere/Atlantis"], app: app)
            #expect(response.status == .unprocessableEntity)
            #expect(String(buffer: response.body).contains("timeZone: must be an IANA time zone"))
        }
    }

    @Test func totpMatchesRFC6238AndGuardsTheLogin() async throws {
        // RFC 6238 appendix B, SHA-1, 8 digits.
        let secret = Array("12345678901234567890".utf8)
        for (time, code) in [
            (59.0, "94287082"), (1_111_111_109, "07081804"), (1_234_567_890, "89005924"), (2_000_000_000, "69279037"),
        ] {
            #expect(TOTP.code(secret: secret, time: Date(timeIntervalSince1970: time), digits: 8) == code)
        }
        #expect(TOTP.base32Decode(TOTP.base32(secret)) == secret)
        #expect(TOTP.base32(Array("foobar".utf8)) == "MZXW6YTBOI")
        try await withApp { app in
            _ = try await TestForum.seed(app)
            let uri = try await AccountService.enableTOTP(email: "observer@test.example", app: app)
            let encoded = try #require(uri.components(separatedBy: "secret=").last?.components(separatedBy: "&").first)
            let key = try #require(TOTP.base32Decode(encoded))
            let session = try await WebSession.fresh(app)
            let without = try await session.send(
                .POST, "/login", form: ["email": "observer@test.example", "password": "correct horse observer"],
                app: app)
            #expect(without.status == .unauthorized)
            let with = try await session.send(
                .POST, "/login",
                form: [
                    "email": "observer@test.example", "password": "correct horse observer",
                    "totp": TOTP.code(secret: key, time: Date()),
                ], app: app)
            #expect(with.status == .seeOther)
        }
    }

    @Test func aPasswordTypedIntoTheEmailFieldIsNotAudited() async throws {
        try await withApp { app in
            _ = try await TestForum.seed(app)
            let session = try await WebSession.fresh(app)
            let response = try await session.send(
                .POST, "/login", form: ["email": "Tr0ub4dor&3", "password": "x"], app: app)
            #expect(response.status == .unauthorized)
            let entries = try await AuditEntry.query(on: app.db).filter(\.$action == "login.failure").all()
            #expect(entries.count == 1)
            #expect(
                entries.allSatisfy { !($0.targetID ?? "").contains("Tr0ub4dor") && !$0.summary.contains("Tr0ub4dor") })
        }
    }

    @Test func loginIssuesANewSessionID() async throws {
        try await withApp { app in
            _ = try await TestForum.seed(app)
            let before = try await WebSession.fresh(app)
            let response = try await before.send(
                .POST, "/login", form: ["email": "handler@test.example", "password": "correct horse handler"], app: app)
            let after = response.headers.setCookie?["concord_session"]?.string
            #expect(response.status == .seeOther)
            #expect(after != nil && after != before.cookie)
            // The planted id no longer opens anything.
            let planted = try await before.send(.GET, "/", form: [:], app: app)
            #expect(planted.status == .seeOther)
            var logged = before
            logged.cookie = after ?? ""
            #expect(try await logged.send(.GET, "/", form: [:], app: app).status == .ok)
        }
    }

    @Test func loginRedirectsOnlyToLocalPaths() {
        #expect(LoginController.safeNext("/teams/singcert") == "/teams/singcert")
        #expect(LoginController.safeNext("//evil.example/") == "/desk")
        #expect(LoginController.safeNext("https://evil.example/") == "/desk")
        #expect(LoginController.safeNext(nil) == "/desk")
    }
}
