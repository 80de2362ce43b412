import ConcordCore
import ConcordTestTools
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import ConcordServer

/// Communication checks: a challenge to every 24/7 contact, the findings about each contact, the
/// three ways to answer (link, API, a reply signed with the contact's own key), calls recorded by
/// hand, the report and a team's history, and schedules.
@Suite struct CommCheckTests {
    /// A key pair in a GnuPG home of its own, for one address, expiring in `days`.
    struct Keyring {
        let home: String
        let publicKey: String

        init(_ address: String, days: Int) async throws {
            home =
                FileManager.default.temporaryDirectory.appendingPathComponent("concord-check-\(UUID().uuidString)")
                .path
            try FileManager.default.createDirectory(
                atPath: home, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            let made = try await LiveGnuPG(path: "gpg").run(
                home: home,
                arguments: [
                    "--passphrase", "", "--pinentry-mode", "loopback", "--quick-gen-key", "Duty <\(address)>",
                    "future-default", "default", "\(days)d",
                ])
            #expect(made.status == 0, "\(made.stderr)")
            publicKey = try await LiveGnuPG(path: "gpg").run(home: home, arguments: ["--armor", "--export", address])
                .stdout
        }

        func clearsign(_ text: String) async throws -> String {
            try await LiveGnuPG(path: "gpg").run(
                home: home, arguments: ["--passphrase", "", "--pinentry-mode", "loopback", "--clearsign"],
                input: Data(text.utf8)
            ).stdout
        }
    }

    static func addContact(
        _ team: String, kind: String, value: String, key: String? = nil, forum: TestForum, app: Application
    ) async throws {
        let body = ContactInput(
            kind: Contact.Kind(rawValue: kind), value: value, availability: .always, published: true,
            lastVerifiedOn: nil, pgpKey: key)
        let added = try await app.testing().send(
            .POST, "/api/v1/teams/\(team)/contacts", headers: forum.headers(.secretariat), body: json(body))
        #expect(added.status == .created, "\(added.body.string)")
    }

    @Test(.needs(.gpg)) func aCheckFindsWhatIsWrongAndCountsEveryWayToAnswer() async throws {
        try await withApp { app in
            let forum = try await TestForum.seed(app)
            let keyring = try await Keyring("duty@sg.example", days: 10)
            try await Self.addContact(
                "singcert", kind: "emergency-email", value: "duty@sg.example", key: keyring.publicKey, forum: forum,
                app: app)
            try await Self.addContact(
                "singcert", kind: "emergency-email", value: "soc@sg.example", forum: forum, app: app)
            try await Self.addContact("nuscert", kind: "phone-24x7", value: "+999 5550 1234", forum: forum, app: app)
            try await Self.addContact(
                "jpcert-cc", kind: "emergency-email", value: "silent@jp.example", forum: forum, app: app)

            let started = try await app.testing().send(
                .POST, "/api/v1/comm-checks", headers: forum.headers(.secretariat),
                body: json(CommCheckInput(title: "Q4 check", windowHours: 2, kinds: nil)))
            #expect(started.status == .created, "\(started.body.string)")
            let check = try started.content.decode(CommCheckDTO.self)
            let challenges = try await CommChallenge.query(on: app.db).all()
            func challenge(_ address: String) throws -> CommChallenge {
                try #require(challenges.first { $0.address == address })
            }
            // Mail goes to the four e-mail contacts; the link's token is nowhere in the database.
            let mails = try await OutboxMessage.query(on: app.db).filter(\.$purpose == "comm-check").all()
            #expect(
                Set(mails.map(\.recipient)) == [
                    "cert@sg.example", "duty@sg.example", "soc@sg.example", "silent@jp.example",
                ])
            #expect(mails.allSatisfy { $0.body.contains("{{challenge-url:") && !$0.body.contains("/checks/") })
            #expect(try challenge("+999 5550 1234").channel == .manual)

            // By link: the page asks, the button answers (a mail scanner opening it answers nothing).
            let token = app.serverSecret.challengeToken(try challenge("cert@sg.example").requireID())
            let visitor = try await WebSession.fresh(app)
            let page = try await visitor.send(.GET, "/checks/\(token)", form: [:], app: app)
            #expect(page.status == .ok && page.body.string.contains("id=\"confirm\""))
            #expect(try await CommChallenge.find(try challenge("cert@sg.example").id, on: app.db)?.answeredAt == nil)
            let confirmed = try await visitor.send(.POST, "/checks/\(token)", form: [:], app: app)
            #expect(confirmed.body.string.contains("id=\"check-done\""))
            #expect(try await visitor.send(.GET, "/checks/\(token)x", form: [:], app: app).status == .notFound)

            // By a reply signed with the contact's own key; a reply signed by another key is refused.
            let link =
                "http://localhost:8080/checks/"
                + app.serverSecret.challengeToken(try challenge("duty@sg.example").requireID())
            let reply =
                "From: duty@sg.example\r\nSubject: Re: check\r\n\r\n"
                + (try await keyring.clearsign("Received.\n> \(link)\n"))
            let stranger = try await Keyring("someone@elsewhere.example", days: 30)
            let forged = try await app.testing().send(
                .POST, "/api/v1/comm-checks/replies", headers: forum.headers(.secretariat),
                body: ByteBuffer(string: try await stranger.clearsign("Received.\n> \(link)\n")),
                contentType: .plainText)
            #expect(forged.status == .unprocessableEntity && forged.body.string.contains("does not verify"))
            let signed = try await app.testing().send(
                .POST, "/api/v1/comm-checks/replies", headers: forum.headers(.secretariat),
                body: ByteBuffer(string: reply),
                contentType: .plainText)
            #expect(signed.status == .ok, "\(signed.body.string)")
            // By API: SingCERT's handler answers its team's open challenge (soc@); NUSCERT has none.
            let byAPI = try await app.testing().send(
                .POST, "/api/v1/comm-checks/\(check.id)/answer", headers: forum.headers(.handler))
            #expect(byAPI.status == .ok)
            #expect(
                try await app.testing().send(
                    .POST, "/api/v1/comm-checks/\(check.id)/answer", headers: forum.headers(.teamAdminOther)
                ).status == .conflict)
            // Exercise control records its call to NUSCERT's phone.
            let call = try await app.testing().send(
                .POST, "/api/v1/comm-checks/\(check.id)/challenges/\(try challenge("+999 5550 1234").requireID())/call",
                headers: forum.headers(.secretariat))
            #expect(call.status == .ok)

            // After the window: four of five contacts answered; JPCERT/CC's never did.
            let stored = try #require(try await CommCheck.find(check.id, on: app.db))
            let report = try await CommCheckReports.build(
                stored, rowsOf: nil, at: Date().addingTimeInterval(3 * 3600), on: app.db)
            #expect(report.closed)
            #expect(
                report.figures.challenges == 5 && report.figures.answered == 4
                    && report.figures.reachabilityPercent == 80)
            #expect(report.figures.teams == 3 && report.figures.reachableTeams == 2)
            let found = Dictionary(
                uniqueKeysWithValues: report.teams.flatMap(\.challenges).map { ($0.address, $0) })
            #expect(found["duty@sg.example"]?.findings == ["key expires within 30 days"])
            #expect(found["duty@sg.example"]?.answeredVia == "signed-mail")
            #expect(found["cert@sg.example"]?.answeredVia == "link" && found["soc@sg.example"]?.answeredVia == "api")
            #expect(found["+999 5550 1234"]?.answeredVia == "manual")
            #expect(found["silent@jp.example"]?.findings == ["no OpenPGP key", "no answer"])
            #expect(found["soc@sg.example"]?.findings == ["no OpenPGP key"])

            // A team reads its own rows and its history; the secretariat every team's.
            let own = try await app.testing().send(
                .GET, "/api/v1/comm-checks/\(check.id)/report", headers: forum.headers(.observer)
            ).content.decode(CommCheckReportDTO.self)
            #expect(own.teams.map(\.team) == ["singcert"] && own.figures.challenges == 5)
            let history = try await app.testing().send(
                .GET, "/api/v1/comm-checks/teams/singcert/history", headers: forum.headers(.observer)
            ).content.decode([CommCheckHistoryDTO].self)
            #expect(history.count == 1 && history.first?.answered == 3 && history.first?.challenges == 3)
            #expect(
                try await app.testing().send(
                    .GET, "/api/v1/comm-checks/teams/singcert/history", headers: forum.headers(.teamAdminOther)
                ).status == .forbidden)
        }
    }

    @Test func aScheduleStartsItsCheckOnceAPeriod() async throws {
        try await withApp { app in
            let forum = try await TestForum.seed(app)
            let past = Date().addingTimeInterval(-3600)
            let encoder = JSONEncoder()
            encoder.dateEncodingStrategy = .iso8601
            let created = try await app.testing().send(
                .POST, "/api/v1/comm-check-schedules", headers: forum.headers(.secretariat),
                body: ByteBuffer(
                    data: try encoder.encode(
                        CommCheckScheduleInput(title: "Quarterly", everyDays: 91, windowHours: 24, firstAt: past))))
            #expect(created.status == .created)
            #expect(try await CommCheckScheduler.runDue(at: Date(), app: app, on: app.db) == 1)
            #expect(try await CommCheckScheduler.runDue(at: Date(), app: app, on: app.db) == 0)
            let schedule = try #require(try await CommCheckSchedule.query(on: app.db).first())
            #expect(abs(schedule.nextAt.timeIntervalSince(past.addingTimeInterval(91 * 86_400))) < 1)
            #expect(try await CommCheck.query(on: app.db).filter(\.$scheduleID == schedule.id).count() == 1)
            let bad = try await app.testing().send(
                .POST, "/api/v1/comm-checks", headers: forum.headers(.secretariat),
                body: json(CommCheckInput(title: "", windowHours: 0, kinds: ["fax"])))
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.body.string.contains("kinds[0]") && bad.body.string.contains("title"))
        }
    }
}
