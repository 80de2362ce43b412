import ConcordCore
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import ConcordServer

/// The desk, the home page after login (issue 17 §2): the team's open assignments due soonest
/// first with their urgency, its escalations and directory findings; the secretariat's desk adds
/// every team's unacknowledged assignments and the triage queue, and never a TLP:RED incident it is
/// not named in. The web page and `GET /api/v1/desk` show the same.
@Suite struct DeskTests {
    /// The seeded incident made overdue and escalated for SingCERT; a second one SingCERT must
    /// acknowledge within ten minutes (NUSCERT within three hours); NUSCERT's own TLP:RED incident;
    /// an incident waiting for triage.
    static func seedQueue(_ app: Application, _ forum: TestForum, now: Date) async throws -> (
        soon: String, red: String, triage: String
    ) {
        let singcert = try #require(try await Team.query(on: app.db).filter(\.$slug == "singcert").first())
        let nuscert = try #require(try await Team.query(on: app.db).filter(\.$slug == "nuscert").first())
        let seeded = try #require(
            try await Incident.query(on: app.db).filter(\.$number == forum.incidentNumber).first())
        let mine = try #require(
            try await IncidentAssignment.query(on: app.db).filter(\.$incident.$id == seeded.requireID())
                .filter(\.$team.$id == singcert.requireID()).first())
        mine.deadline = now.addingTimeInterval(-600)
        mine.escalations = 1
        try await mine.save(on: app.db)
        let soon = try await Self.incident(
            app, "Soon due", tlp: .amber, reporter: nuscert,
            assigned: [(singcert, now.addingTimeInterval(600)), (nuscert, now.addingTimeInterval(3 * 3600))])
        let red = try await Self.incident(
            app, "RED-MARKER only NUSCERT", tlp: .red, reporter: nuscert,
            assigned: [(nuscert, now.addingTimeInterval(60))])
        let triage = try await Self.incident(app, "Nobody's yet", tlp: .green, reporter: singcert, assigned: [])
        return (soon, red, triage)
    }

    static func incident(
        _ app: Application, _ title: String, tlp: TLPLabel, reporter: Team, assigned: [(Team, Date)]
    ) async throws -> String {
        let user = try #require(try await User.query(on: app.db).filter(\.$team.$id == reporter.requireID()).first())
        let incident = Incident()
        incident.number = try await IncidentNumbers.next(at: Date(), on: app.db)
        incident.title = title
        incident.details = ""
        incident.$reporterTeam.id = try reporter.requireID()
        incident.$reporterUser.id = try user.requireID()
        incident.taxonomy = "information-gathering"
        incident.type = "scanner"
        incident.severity = "low"
        incident.tlp = tlp
        incident.reportedAt = Date()
        try await incident.create(on: app.db)
        for (team, deadline) in assigned {
            try await IncidentAssignment(
                incidentID: try incident.requireID(), teamID: try team.requireID(), reasons: ["test"],
                deadline: deadline
            ).create(on: app.db)
        }
        return incident.number
    }

    @Test func aHandlersDeskListsItsTeamsWorkMostUrgentFirst() async throws {
        try await withApp { app in
            let now = FixedClock().time
            app.clock = FixedClock(now)
            let forum = try await TestForum.seed(app)
            let queue = try await Self.seedQueue(app, forum, now: now)
            let response = try await app.testing().send(.GET, "/api/v1/desk", headers: forum.headers(.handler))
            #expect(response.status == .ok)
            let desk = try response.content.decode(DeskDTO.self)
            #expect(desk.team == "SingCERT")
            #expect(desk.assignments.map(\.number) == [forum.incidentNumber, queue.soon])
            #expect(desk.assignments.map(\.urgency) == [.overdue, .soon])
            #expect(desk.assignments.map(\.timeLeft) == ["overdue by 10 min", "10 min left"])
            #expect(desk.escalations.map(\.number) == [forum.incidentNumber])
            #expect(desk.forum == nil, "the forum-wide queue is the secretariat's")
            #expect(desk.findings.allSatisfy { $0.team == "singcert" })
            #expect(!response.body.string.contains("RED-MARKER"))
        }
    }

    @Test func theSecretariatsDeskAddsEveryTeamsQueueButNoRedItIsNotNamedIn() async throws {
        try await withApp { app in
            let now = FixedClock().time
            app.clock = FixedClock(now)
            let forum = try await TestForum.seed(app)
            let queue = try await Self.seedQueue(app, forum, now: now)
            let response = try await app.testing().send(.GET, "/api/v1/desk", headers: forum.headers(.secretariat))
            let desk = try response.content.decode(DeskDTO.self)
            let unacknowledged = try #require(desk.forum?.unacknowledged)
            #expect(
                unacknowledged.map { "\($0.number) \($0.teamSlug)" } == [
                    "\(forum.incidentNumber) singcert", "\(queue.soon) singcert", "\(queue.soon) nuscert",
                    "\(forum.incidentNumber) nuscert",
                ])
            #expect(desk.forum?.triage.map(\.number) == [queue.triage])
            #expect(!response.body.string.contains("RED-MARKER") && !response.body.string.contains(queue.red))
            #expect(desk.assignments.isEmpty, "JPCERT/CC itself has nothing assigned")
        }
    }

    @Test func theDeskPageShowsTheSameWithTimeLeftInColour() async throws {
        try await withApp { app in
            let now = FixedClock().time
            app.clock = FixedClock(now)
            let forum = try await TestForum.seed(app)
            let queue = try await Self.seedQueue(app, forum, now: now)
            let handler = try await WebSession.start(app, as: .handler)
            let page = try await handler.send(.GET, "/desk", form: [:], app: app)
            let html = page.body.string
            #expect(page.status == .ok)
            let overdue = try #require(
                html.range(of: #"<tr class="due-overdue"><td><a href="/incidents/\#(forum.incidentNumber)""#))
            let soon = try #require(html.range(of: #"<tr class="due-soon"><td><a href="/incidents/\#(queue.soon)""#))
            #expect(overdue.lowerBound < soon.lowerBound, "due soonest first")
            #expect(html.contains("overdue by 10 min") && html.contains(#"data-deadline=""#))
            #expect(!html.contains(#"id="forum-queue""#))
            let secretariat = try await WebSession.start(app, as: .secretariat)
            let forumPage = try await secretariat.send(.GET, "/desk", form: [:], app: app).body.string
            #expect(forumPage.contains(#"id="forum-queue""#) && forumPage.contains(#"id="triage""#))
            #expect(forumPage.contains(queue.triage) && !forumPage.contains("RED-MARKER"))
        }
    }

    @Test func loggingInFromTheSitesAddressLandsOnTheDesk() async throws {
        try await withApp { app in
            _ = try await TestForum.seed(app)
            let anonymous = try await app.testing().send(.GET, "/")
            #expect(anonymous.headers.first(name: .location) == "/login?next=/desk")
            let deep = try await app.testing().send(.GET, "/incidents")
            #expect(deep.headers.first(name: .location) == "/login?next=/incidents")
        }
    }

    @Test func urgencyIsOverdueSoonLaterOrNone() {
        let now = Date(timeIntervalSince1970: 1_000_000)
        #expect(DeskUrgency(deadline: now.addingTimeInterval(-1), now: now) == .overdue)
        #expect(DeskUrgency(deadline: now.addingTimeInterval(29 * 60), now: now) == .soon)
        #expect(DeskUrgency(deadline: now.addingTimeInterval(30 * 60), now: now) == .later)
        #expect(DeskUrgency(deadline: nil, now: now) == .none)
    }
}
