import ConcordCore
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import ConcordServer

/// `GET /api/v1/statistics` (issue 18 §5): a year's figures counted over what the caller may read
/// (a TLP:RED incident only for the people it names), beside last year's with computed trends, by
/// RSIT taxonomy and month; the CSV the same table; every wrong parameter refused by name.
@Suite struct StatisticsAPITests {
    /// 2026-03-10 09:00 UTC.
    static let march = Date(timeIntervalSince1970: 1_773_133_200)

    static func report(
        _ title: String, _ classification: String, tlp: String, at date: Date, recipients: [String]? = nil,
        observable: String = "198.51.100.100", forum: TestForum, app: Application
    ) async throws {
        app.clock = FixedClock(date)
        var body: [String: AnyEncodable] = [
            "title": .init(title), "classification": .init(classification), "tlp": .init(tlp),
            "observables": .init([["value": observable]]),
        ]
        if let recipients { body["recipients"] = .init(recipients) }
        let response = try await IncidentTests.report(body, as: .handler, forum: forum, app: app)
        #expect(response.status == .created, "\(title): \(response.body.string)")
    }

    static func figures(_ query: String, as actor: Actor, forum: TestForum, app: Application) async throws
        -> StatisticsDTO
    {
        let response = try await app.testing().send(
            .GET, "/api/v1/statistics?\(query)", headers: forum.headers(actor))
        #expect(response.status == .ok, "\(query): \(response.body.string)")
        return try response.content.decode(StatisticsDTO.self)
    }

    @Test func aYearIsCountedOverWhatTheReaderMayReadWithTrends() async throws {
        try await withApp { app in
            // setup: the seeded incident (this year, GREEN), then one last March and four this March
            let forum = try await TestForum.seed(app)
            let before = try await Self.figures("year=2026", as: .observer, forum: forum, app: app)
            let lastYear = Self.march.addingTimeInterval(-365 * 86_400)
            try await Self.report("last year", "fraud/phishing", tlp: "TLP:GREEN", at: lastYear, forum: forum, app: app)
            try await Self.report("phish", "fraud/phishing", tlp: "TLP:GREEN", at: Self.march, forum: forum, app: app)
            try await Self.report(
                "both teams", "availability/ddos", tlp: "TLP:AMBER", at: Self.march, observable: "198.51.100.113",
                forum: forum, app: app)
            try await Self.report(
                "red", "intrusions/system-compromise", tlp: "TLP:RED", at: Self.march,
                recipients: ["handler@test.example"], forum: forum, app: app)
            try await Self.report("a test", "test/test", tlp: "TLP:GREEN", at: Self.march, forum: forum, app: app)

            // act
            let handler = try await Self.figures("year=2026", as: .handler, forum: forum, app: app)
            let observer = try await Self.figures("year=2026", as: .observer, forum: forum, app: app)
            let team = try await Self.figures("year=2026&team=nuscert", as: .secretariat, forum: forum, app: app)
            let fraud = try await Self.figures("year=2026&class=fraud", as: .handler, forum: forum, app: app)
            let window = try await Self.figures(
                "year=2026&from=2026-03-01&to=2026-04-01", as: .handler, forum: forum, app: app)
            let csv = try await app.testing().send(
                .GET, "/api/v1/statistics.csv?year=2026", headers: forum.headers(.handler))

            // validate: the handler is named in the RED one, the observer of the same team is not
            #expect(handler.counters.incidents == before.counters.incidents + 3, "the test incident never counts")
            #expect(observer.counters.incidents == before.counters.incidents + 2, "RED only for the people it names")
            #expect(handler.total == handler.counters.incidents)
            let row = try #require(handler.byTaxonomy.first { $0.taxonomy == "intrusions" })
            #expect(row.months[2] == 1 && row.label == "Intrusions")
            #expect(handler.byTaxonomy.allSatisfy { $0.taxonomy != "test" })
            #expect(handler.previousYear.incidents == 1)
            #expect(
                handler.trends["incidents"]?.change
                    == Trend(previous: 1, current: handler.counters.incidents)?.description)
            #expect(handler.counters.casesCoordinated >= 1 && handler.definitions["counted"] != nil)
            #expect(team.scope.team == "nuscert" && team.counters.incidents == before.counters.incidents + 1)
            #expect(fraud.counters.incidents == 1 && fraud.previousYear.incidents == 1)
            #expect(fraud.trends["incidents"]?.change == "0.0 %")
            #expect(window.counters.incidents == 3 && window.period.label == "2026")
            #expect(csv.status == .ok && csv.headers.contentType?.subType == "csv")
            let lines = csv.body.string.split(separator: "\r\n").map(String.init)
            #expect(lines.first?.hasPrefix("taxonomy,2026-01,2026-02,2026-03") == true)
            #expect(
                lines.last == "total," + handler.monthTotals.map(String.init).joined(separator: ",")
                    + ",\(handler.total)")
        }
    }

    @Test func wrongParametersAreRefusedByNameAndAnonymousReadersAreNot() async throws {
        try await withApp { app in
            let forum = try await TestForum.seed(app)
            for (query, field) in [
                ("year=abc", "year"), ("year=2026&startMonth=13", "startMonth"), ("class=gossip", "class"),
                ("tlp=TLP:PURPLE", "tlp"), ("economy=ZZ", "economy"), ("from=2026-05-01&to=2026-04-01", "to"),
                ("from=May", "from"), ("team=nobody", ""),
            ] {
                let response = try await app.testing().send(
                    .GET, "/api/v1/statistics?\(query)", headers: forum.headers(.handler))
                #expect(response.status == (field.isEmpty ? .notFound : .unprocessableEntity), "\(query)")
                #expect(
                    field.isEmpty || response.body.string.contains(#""\#(field)""#), "\(query): \(response.body.string)"
                )
            }
            #expect(try await app.testing().send(.GET, "/api/v1/statistics").status == .unauthorized)
        }
    }

    @Test func timeToAcknowledgeIsMeasuredFromTheRecordsWithOpenCasesCounted() async throws {
        try await withApp { app in
            // setup: two reports at 09:00, SingCERT acknowledges the first at 09:10
            let forum = try await TestForum.seed(app)
            let clock = ManualClock(Self.march)
            app.clock = clock
            let first = try await IncidentTests.report(
                [
                    "title": "one team", "classification": "fraud/phishing", "tlp": "TLP:GREEN",
                    "observables": .init([["value": "198.51.100.100"]]),
                ], as: .handler, forum: forum, app: app
            ).content.decode(IncidentDTO.self)
            _ = try await IncidentTests.report(
                [
                    "title": "two teams", "classification": "fraud/phishing", "tlp": "TLP:GREEN",
                    "observables": .init([["value": "198.51.100.113"]]),
                ], as: .handler, forum: forum, app: app)
            clock.advance(600)
            let acknowledged = try await app.testing().send(
                .POST, "/api/v1/incidents/\(first.number)/assignments/singcert", headers: forum.headers(.handler),
                body: json(["event": "acknowledge"]))
            clock.advance(1200)
            _ = try await app.testing().send(
                .POST, "/api/v1/incidents/\(first.number)/assignments/singcert", headers: forum.headers(.handler),
                body: json(["event": "resolve"]))

            // act
            let forumWide = try await Self.figures("year=2026", as: .secretariat, forum: forum, app: app)
            let singcert = try await Self.figures("year=2026&team=singcert", as: .secretariat, forum: forum, app: app)

            // validate
            #expect(acknowledged.status == .ok)
            let acknowledge = forumWide.timeToAcknowledge
            #expect(acknowledge.cases == 3 && acknowledge.ended == 1 && acknowledge.open == 2)
            #expect(acknowledge.medianSeconds == 600 && acknowledge.median == "10 min")
            #expect(acknowledge.within15Minutes == 1 && acknowledge.shareWithin15Minutes == "33.3 %")
            #expect(
                singcert.timeToAcknowledge.cases == 2 && singcert.timeToAcknowledge.shareWithin30Minutes == "50.0 %")
            #expect(forumWide.timeToResolve.ended == 1 && forumWide.timeToResolve.medianSeconds == 1800)
            #expect(forumWide.definitions["timeToAcknowledge"]?.contains("nearest rank") == true)
        }
    }

    @Test func checksAndTheDirectoryAreMeasuredAndATeamsOwnFiguresAreItsOwn() async throws {
        try await withApp { app in
            // setup: a check in March (one hour to answer), one key valid, one profile updated
            let forum = try await TestForum.seed(app)
            let teams = try await Team.query(on: app.db).all()
            func id(_ slug: String) throws -> UUID { try #require(teams.first { $0.slug == slug }?.id) }
            let check = CommCheck()
            check.title = "March check"
            check.startedAt = Self.march
            check.windowSeconds = 3600
            check.createdBy = UUID()
            try await check.create(on: app.db)
            for (slug, after) in [("singcert", 600.0), ("nuscert", 7200), ("jpcert-cc", nil)] as [(String, Double?)] {
                let challenge = CommChallenge()
                challenge.checkID = try check.requireID()
                challenge.teamID = try id(slug)
                challenge.kind = "emergency-email"
                challenge.channel = .email
                challenge.address = "cert@\(slug).example"
                challenge.sentAt = Self.march
                challenge.answeredAt = after.map { Self.march.addingTimeInterval($0) }
                challenge.findings = "[]"
                try await challenge.create(on: app.db)
            }
            let contact = try #require(try await Contact.find(forum.singcertContactID, on: app.db))
            contact.pgpFingerprint = "0123456789ABCDEF0123456789ABCDEF01234567"
            contact.pgpExpiresAt = Date().addingTimeInterval(400 * 86_400)
            try await contact.save(on: app.db)
            let singcert = try #require(teams.first { $0.slug == "singcert" })
            singcert.rfc2350UpdatedOn = ISODate.string(Date().addingTimeInterval(-30 * 86_400))
            try await singcert.save(on: app.db)

            // act
            let forumWide = try await Self.figures("year=2026", as: .secretariat, forum: forum, app: app)
            let own = try await Self.figures("year=2026&team=singcert", as: .handler, forum: forum, app: app)
            let another = try await app.testing().send(
                .GET, "/api/v1/statistics?year=2026&team=nuscert", headers: forum.headers(.handler))

            // validate
            let checks = forumWide.communicationChecks
            #expect(checks.checks == 1 && checks.challenges == 3 && checks.teams == 3 && checks.reachableTeams == 1)
            #expect(checks.answers.ended == 1 && checks.answers.open == 2 && checks.answers.median == "10 min")
            #expect(own.communicationChecks.challenges == 1 && own.communicationChecks.reachableTeams == 1)
            #expect(another.status == .forbidden, "another team's times are its own and the secretariat's")
            let health = forumWide.directoryHealth
            #expect(health.teams == 3 && health.withValidKey == 1 && health.withValidKeyShare == "33.3 %")
            #expect(health.withRecentProfile == 1)
        }
    }

    @Test func drillsCountTheirTeamsWithPartnersApartAndNeverEnterIncidentFigures() async throws {
        try await withApp { app in
            // setup: a drill on 3 December (SingCERT plays, NUSCERT as a partner, JPCERT/CC controls)
            let forum = try await TestForum.seed(app)
            let before = try await Self.figures("year=2026", as: .secretariat, forum: forum, app: app)
            let start = Date(timeIntervalSince1970: 1_796_263_200)
            let clock = ManualDrillClock(start)
            app.drillClock = clock
            let drill = try await DrillTests.plan(start: start, forum: forum, app: app)
            try await DrillScheduler.runDue(at: clock.now(), mailedAt: app.clock.now(), on: app.db)
            clock.advance(300)
            let ack = DrillResponseInput(inject: "warning", kind: "acknowledge", observables: nil, team: nil, text: nil)
            #expect(try await DrillTests.respond(drill, ack, as: .handler, forum: forum, app: app).status == .created)

            // act
            let forumWide = try await Self.figures("year=2026", as: .secretariat, forum: forum, app: app)
            let player = try await Self.figures("year=2026&team=singcert", as: .handler, forum: forum, app: app)
            let control = try await Self.figures("year=2026&team=jpcert-cc", as: .secretariat, forum: forum, app: app)
            let lastYear = try await Self.figures("year=2025", as: .secretariat, forum: forum, app: app)

            // validate
            let drills = forumWide.drills
            #expect(drills.drills == 1 && drills.invitedTeams == 1 && drills.participatingTeams == 1)
            #expect(drills.economies == 1 && drills.partnerTeams == 1, "the partner is counted apart")
            #expect(drills.deliveriesWithDeadline == 1 && drills.acknowledgedInTimeShare == "100.0 %")
            #expect(player.drills.drills == 1 && control.drills.drills == 0, "exercise control does not play")
            #expect(lastYear.drills.drills == 0)
            #expect(forumWide.counters == before.counters, "drill traffic never enters incident figures")
        }
    }
}
