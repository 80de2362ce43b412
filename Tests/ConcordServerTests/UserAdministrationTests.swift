import ConcordCore
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import ConcordServer

/// Accounts administered on the web, the API and the command line (issue 17 §5): invited with a
/// one-time password shown once, given another role within what the administrator may give,
/// disabled everywhere at once and enabled again; nobody changes their own account; every change
/// audited.
@Suite struct UserAdministrationTests {
    static func password(in html: String) -> String? {
        html.firstMatch(of: #/<code class="fingerprint" id="invited-password">([A-Za-z0-9_-]+)</code>/#)
            .map { String($0.output.1) }
    }

    static func id(of email: String, _ app: Application) async throws -> UUID {
        try #require(try await User.query(on: app.db).filter(\.$email == email).first()).requireID()
    }

    @Test func aForumAdminInvitesSomeoneWhoseFirstLoginChoosesAPassword() async throws {
        try await withApp { app in
            // setup
            _ = try await TestForum.seed(app)
            let admin = try await WebSession.start(app, as: .forumAdmin)

            // act
            let invited = try await admin.post(
                "/admin/users",
                fields: [
                    ("email", " New.Handler@SG.example "), ("displayName", "New Handler"), ("team", "singcert"),
                    ("role", "handler"),
                ], app: app)
            let password = try #require(Self.password(in: invited.body.string))
            let list = try await admin.send(.GET, "/admin/users?team=singcert", form: [:], app: app).body.string
            let newcomer = try await WebSession.fresh(app)
            let login = try await newcomer.send(
                .POST, "/login", form: ["email": "new.handler@sg.example", "password": password], app: app)

            // validate
            #expect(invited.status == .ok && invited.headers.first(name: .cacheControl) == "no-store")
            let user = try #require(
                try await User.query(on: app.db).filter(\.$email == "new.handler@sg.example").first())
            #expect(user.role == .handler && user.mustChangePassword && user.passwordHash != password)
            #expect(list.contains(#"data-email="new.handler@sg.example""#) && Self.password(in: list) == nil)
            #expect(list.contains("invited, not logged in yet"))
            #expect(login.status == .seeOther)
            #expect(login.headers.first(name: .location)?.hasPrefix("/account/password") == true)
            let mail = try #require(
                try await OutboxMessage.query(on: app.db).filter(\.$recipient == "new.handler@sg.example").first())
            #expect(mail.purpose == "account-notice" && mail.body.contains("/login") && !mail.body.contains(password))
            #expect(try await AuditEntry.query(on: app.db).filter(\.$action == "user.create").count() == 1)
        }
    }

    @Test func aTeamAdminManagesItsOwnTeamWithTeamRolesOnly() async throws {
        try await withApp { app in
            // setup
            let forum = try await TestForum.seed(app)
            var admin = forum.headers(.teamAdmin)
            admin.contentType = .json
            let handler = try await Self.id(of: "handler@test.example", app)
            let other = try await Self.id(of: "team-admin-other@test.example", app)

            // act
            let list = try await app.testing().send(.GET, "/api/v1/users", headers: admin)
            let elsewhere = try await app.testing().send(.GET, "/api/v1/users?team=nuscert", headers: admin)
            let grantForum = try await app.testing().send(
                .PATCH, "/api/v1/users/\(handler)", headers: admin, body: json(["role": "forum-admin"]))
            let inviteElsewhere = try await app.testing().send(
                .POST, "/api/v1/users", headers: admin,
                body: json(["email": "x@nus.example", "team": "nuscert", "role": "handler"]))
            let otherTeam = try await app.testing().send(
                .PATCH, "/api/v1/users/\(other)", headers: admin, body: json(["disabled": true]))
            let promoted = try await app.testing().send(
                .PATCH, "/api/v1/users/\(handler)", headers: admin, body: json(["role": "team-admin"]))
            let invited = try await app.testing().send(
                .POST, "/api/v1/users", headers: admin,
                body: json(["email": "obs@sg.example", "team": "singcert", "role": "observer"]))

            // validate
            #expect(list.status == .ok)
            let teams = Set(try list.content.decode([UserAdministration.Line].self).map(\.team))
            #expect(teams == ["singcert"])
            #expect(elsewhere.status == .forbidden)
            #expect(grantForum.status == .forbidden && inviteElsewhere.status == .forbidden)
            #expect(otherTeam.status == .forbidden)
            #expect(promoted.status == .ok)
            #expect(try promoted.content.decode(UserAdministration.Line.self).role == "team-admin")
            #expect(invited.status == .created && invited.headers.first(name: .cacheControl) == "no-store")
            #expect(try invited.content.decode(UserController.Invited.self).password.count == 24)
            #expect(try await User.query(on: app.db).filter(\.$email == "x@nus.example").count() == 0)
            let handlerNow = try #require(try await User.find(handler, on: app.db))
            #expect(handlerNow.role == .teamAdmin)
        }
    }

    @Test func aDisabledAccountOpensNothingUntilEnabled() async throws {
        try await withApp { app in
            // setup: the handler has a token and an open session
            let forum = try await TestForum.seed(app)
            let open = try await WebSession.start(app, as: .handler)
            let admin = try await WebSession.start(app, as: .forumAdmin)
            let handler = try await Self.id(of: "handler@test.example", app)
            var basic = HTTPHeaders()
            basic.basicAuthorization = .init(username: "handler", password: forum.tokens[.handler] ?? "")

            // act
            let disabled = try await admin.post("/admin/users/\(handler)/disable", fields: [], app: app)
            let page = try await admin.send(.GET, "/admin/users", form: [:], app: app).body.string
            let token = try await app.testing().send(.GET, "/api/v1/me", headers: forum.headers(.handler))
            let taxii = try await app.testing().send(.GET, "/taxii2/", headers: basic)
            let session = try await open.send(.GET, "/incidents", form: [:], app: app)
            let login = try await WebSession.fresh(app).send(
                .POST, "/login", form: ["email": "handler@test.example", "password": "correct horse handler"],
                app: app)
            let enabled = try await admin.post("/admin/users/\(handler)/enable", fields: [], app: app)
            let tokenAgain = try await app.testing().send(.GET, "/api/v1/me", headers: forum.headers(.handler))

            // validate
            #expect(disabled.status == .seeOther)
            #expect(page.contains("handler@test.example is disabled: its sessions, API tokens"))
            #expect(token.status == .unauthorized)
            #expect(taxii.status == .unauthorized)
            #expect(session.status == .seeOther && session.headers.first(name: .location)?.hasPrefix("/login") == true)
            #expect(login.status == .unauthorized && login.body.string.contains("this account is disabled"))
            #expect(enabled.status == .seeOther)
            #expect(tokenAgain.status == .ok)
            let summaries = try await AuditEntry.query(on: app.db).filter(\.$action == "user.update").all()
                .map(\.summary)
            #expect(
                summaries.contains { $0.hasSuffix("disabled") } && summaries.contains { $0.hasSuffix("enabled again") })
        }
    }

    @Test func nobodyChangesTheirOwnAccountAndBadInputStoresNothing() async throws {
        try await withApp { app in
            // setup
            let forum = try await TestForum.seed(app)
            let admin = try await WebSession.start(app, as: .forumAdmin)
            let me = try await Self.id(of: "forum-admin@test.example", app)
            let users = try await User.query(on: app.db).count()

            // act
            let selfDisable = try await admin.post("/admin/users/\(me)/disable", fields: [], app: app)
            let page = try await admin.send(.GET, "/admin/users", form: [:], app: app).body.string
            let bad = try await admin.post(
                "/admin/users", fields: [("email", "not mail"), ("team", "singcert"), ("role", "boss")], app: app)
            let taken = try await admin.post(
                "/admin/users", fields: [("email", "handler@test.example"), ("team", "singcert"), ("role", "handler")],
                app: app)
            var headers = forum.headers(.forumAdmin)
            headers.contentType = .json
            let badRole = try await app.testing().send(
                .PATCH, "/api/v1/users/\(try await Self.id(of: "observer@test.example", app))", headers: headers,
                body: json(["role": "king"]))

            // validate
            #expect(selfDisable.status == .conflict)
            #expect(selfDisable.body.string.contains("another administrator must change or disable your own account"))
            #expect(!page.contains("/admin/users/\(me)/disable"))
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.body.string.contains("E-mail: &#39;not mail&#39; is not an e-mail address"))
            #expect(bad.body.string.contains("Role: must be one of"))
            #expect(bad.body.string.contains(#"value="not mail""#), "what was typed is kept")
            #expect(
                taken.status == .conflict && taken.body.string.contains("handler@test.example has an account already"))
            #expect(badRole.status == .unprocessableEntity)
            #expect(try await User.query(on: app.db).count() == users)
            #expect(try await User.find(me, on: app.db)?.disabledAt == nil)
        }
    }

    @Test func twoInvitationsOfOneAddressAtOnceMakeOneAccount() async throws {
        try await withApp(sqliteFile: true) { app in
            // setup
            let forum = try await TestForum.seed(app)
            let headers: HTTPHeaders = {
                var headers = forum.headers(.forumAdmin)
                headers.contentType = .json
                return headers
            }()
            let body = try JSONEncoder().encode(["email": "twice@sg.example", "team": "singcert", "role": "handler"])

            // act
            let statuses = try await withThrowingTaskGroup(of: HTTPStatus.self) { group in
                for _ in 0..<4 {
                    group.addTask {
                        try await app.testing().send(
                            .POST, "/api/v1/users", headers: headers, body: ByteBuffer(data: body)
                        )
                        .status
                    }
                }
                return try await group.reduce(into: [HTTPStatus]()) { $0.append($1) }
            }

            // validate
            #expect(statuses.filter { $0 == .created }.count == 1)
            #expect(statuses.filter { $0 == .conflict }.count == 3)
            #expect(try await User.query(on: app.db).filter(\.$email == "twice@sg.example").count() == 1)
            #expect(try await AuditEntry.query(on: app.db).filter(\.$action == "user.create").count() == 1)
        }
    }

    @Test func theCommandLineListsAndChangesAccounts() async throws {
        try await withApp { app in
            // setup
            _ = try await TestForum.seed(app)

            // act
            let changed = try await AccountService.updateUser(
                email: "Observer@test.example", role: "handler", disabled: true, app: app)
            let list = try await AccountService.listUsers(teamSlug: "singcert", app: app)

            // validate
            #expect(changed == "observer@test.example: handler of singcert, disabled")
            #expect(list.contains("observer@test.example\tsingcert\thandler\tdisabled"))
            #expect(!list.contains("nuscert"))
            await #expect(throws: ConcordError.self) {
                try await AccountService.updateUser(email: "nobody@test.example", role: nil, disabled: true, app: app)
            }
            let entry = try #require(try await AuditEntry.query(on: app.db).filter(\.$action == "user.update").first())
            #expect(entry.actor == "cli")
        }
    }
}
