import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import ConcordServer

@Suite struct IncidentTests {
    static func report(_ body: [String: AnyEncodable], as actor: Actor, forum: TestForum, app: Application) async throws
        -> TestingHTTPResponse
    {
        try await app.testing().send(.POST, "/api/v1/incidents", headers: forum.headers(actor), body: json(body))
    }

    @Test func aReportIsRoutedToEveryResponsibleTeamWithReasonsAndDeadlines() async throws {
        try await withApp { app in
            // setup
            let forum = try await TestForum.seed(app)
            let clock = FixedClock()
            app.clock = clock
            let body: [String: AnyEncodable] = [
                "title": "C2 traffic", "classification": "malicious-code/c2-server", "tlp": "TLP:AMBER",
                "observables": AnyEncodable([
                    ["value": "198.51.100.100"], ["value": "AS64500"],
                    ["kind": "ip-address", "value": "2001:DB8:800::1"],
                    ["value": "d41d8cd98f00b204e9800998ecf8427e"],
                ]),
            ]
            // act
            let preview = try await app.testing().send(
                .POST, "/api/v1/incidents/preview", headers: forum.headers(.handler), body: json(body))
            let response = try await Self.report(body, as: .handler, forum: forum, app: app)
            // validate
            #expect(response.status == .created)
            let incident = try response.content.decode(IncidentDTO.self)
            #expect(
                incident.number.hasPrefix("INC-\(Calendar(identifier: .gregorian).component(.year, from: clock.time))-")
            )
            #expect(incident.number != forum.incidentNumber)
            #expect(Set(incident.assignments.map(\.team)) == ["singcert", "nuscert", "jpcert-cc"])
            #expect(
                try preview.content.decode([RoutedTeamDTO].self).map(\.team) == ["singcert", "nuscert", "jpcert-cc"])
            let singcert = try #require(incident.assignments.first { $0.team == "singcert" })
            #expect(singcert.reasons == ["198.51.100.100 in 198.51.100.96/27 of SingCERT"])
            #expect(incident.assignments.first { $0.team == "nuscert" }?.reasons == ["AS64500: AS64500 of NUSCERT"])
            // SingCERT publishes a 24/7 contact: two hours. JPCERT/CC publishes none: its next business day.
            #expect(singcert.deadline == clock.time.addingTimeInterval(7200))
            let nextBusinessDay = try #require(incident.assignments.first { $0.team == "jpcert-cc" }?.deadline)
            #expect(nextBusinessDay.timeIntervalSince(clock.time) > 7200)
            #expect(
                incident.observables.map(\.value) == [
                    "198.51.100.100", "AS64500", "2001:db8:800::1", "d41d8cd98f00b204e9800998ecf8427e",
                ])
            #expect(incident.state.rawValue == "open")
            #expect(incident.timeline.count == 4, "reported, then one line per assigned team")
        }
    }

    @Test func assignmentsFollowTheProcedureAndTheReporterCloses() async throws {
        try await withApp { app in
            let forum = try await TestForum.seed(app)
            let path = "/api/v1/incidents/\(forum.incidentNumber)"
            func event(_ team: String, _ body: [String: String], as actor: Actor) async throws -> TestingHTTPResponse {
                try await app.testing().send(
                    .POST, "\(path)/assignments/\(team)", headers: forum.headers(actor), body: json(body))
            }
            #expect(
                try await event("nuscert", ["event": "acknowledge"], as: .handler).status == .forbidden,
                "not SingCERT's to acknowledge")
            #expect(
                try await event("singcert", ["event": "resolve"], as: .handler).status == .conflict,
                "resolve needs an acknowledgement first")
            #expect(try await event("singcert", ["event": "decline"], as: .handler).status == .unprocessableEntity)
            #expect(try await event("singcert", ["event": "acknowledge"], as: .handler).status == .ok)
            #expect(try await event("singcert", ["event": "start"], as: .teamAdmin).status == .ok)
            let resolved = try await event("singcert", ["event": "resolve"], as: .handler)
            #expect(
                try resolved.content.decode(IncidentDTO.self).assignments.first { $0.team == "singcert" }?.state
                    .rawValue
                    == "resolved")
            let declined = try await event("nuscert", ["event": "decline", "reason": "not-ours"], as: .teamAdminOther)
            let afterwards = try declined.content.decode(IncidentDTO.self)
            #expect(afterwards.state.rawValue == "resolved", "every team has finished")
            #expect(afterwards.assignments.first { $0.team == "nuscert" }?.declineReason?.rawValue == "not-ours")
            #expect(
                try await app.testing().send(.POST, "\(path)/close", headers: forum.headers(.teamAdminOther)).status
                    == .forbidden)
            let closed = try await app.testing().send(.POST, "\(path)/close", headers: forum.headers(.handler))
            let final = try closed.content.decode(IncidentDTO.self)
            #expect(final.state.rawValue == "closed")
            #expect(
                final.timeline.map(\.text) == [
                    "SingCERT: acknowledged", "SingCERT: work started", "SingCERT: resolved",
                    "NUSCERT: declined: not-ours", "closed by the reporter",
                ])
            #expect(
                try await app.testing().send(.POST, "\(path)/close", headers: forum.headers(.handler)).status
                    == .conflict)
        }
    }

    @Test func redIncidentsAreInvisibleToEveryoneNotNamed() async throws {
        try await withApp { app in
            // setup: the secretariat reports a RED incident for SingCERT's handler only
            let forum = try await TestForum.seed(app)
            let response = try await Self.report(
                [
                    "title": "Compromised mail server", "classification": "intrusions/system-compromise",
                    "tlp": "TLP:RED",
                    "recipients": AnyEncodable(["handler@test.example"]),
                    "observables": AnyEncodable([["value": "198.51.100.100"]]),
                ], as: .secretariat, forum: forum, app: app)
            #expect(response.status == .created)
            let number = try response.content.decode(IncidentDTO.self).number
            // act / validate
            for (actor, sees) in [
                (Actor.handler, true), (.secretariat, true), (.observer, false), (.teamAdmin, false),
                (.teamAdminOther, false), (.forumAdmin, false),
            ] {
                let shown = try await app.testing().send(
                    .GET, "/api/v1/incidents/\(number)", headers: forum.headers(actor))
                #expect(shown.status == (sees ? .ok : .notFound), "\(actor)")
                let listed = try await app.testing().send(.GET, "/api/v1/incidents", headers: forum.headers(actor))
                #expect(
                    try listed.content.decode([IncidentSummaryDTO].self).contains { $0.number == number } == sees,
                    "\(actor) list")
            }
            let noRecipients = try await Self.report(
                [
                    "title": "x", "classification": "test/test", "tlp": "TLP:RED",
                    "observables": AnyEncodable([["value": "192.0.2.1"]]),
                ], as: .secretariat, forum: forum, app: app)
            #expect(noRecipients.status == .unprocessableEntity)
        }
    }

    @Test func amberIncidentsStayWithTheReporterTheAssignedTeamsAndTheSecretariat() async throws {
        try await withApp { app in
            let forum = try await TestForum.seed(app)
            let response = try await Self.report(
                [
                    "title": "Brute force", "classification": "intrusion-attempts/brute-force",
                    "tlp": "TLP:AMBER+STRICT",
                    "observables": AnyEncodable([["value": "2001:db8:800::9"]]),
                ], as: .teamAdminOther, forum: forum, app: app)
            let number = try response.content.decode(IncidentDTO.self).number
            for (actor, sees) in [
                (Actor.teamAdminOther, true), (.secretariat, true), (.forumAdmin, true), (.handler, false),
                (.observer, false),
            ] {
                let shown = try await app.testing().send(
                    .GET, "/api/v1/incidents/\(number)", headers: forum.headers(actor))
                #expect(shown.status == (sees ? .ok : .notFound), "\(actor)")
            }
        }
    }

    @Test func badReportsNameTheirFieldsAndStoreNothing() async throws {
        try await withApp { app in
            let forum = try await TestForum.seed(app)
            let response = try await Self.report(
                [
                    "title": "", "classification": "attribution/nation-state", "tlp": "TLP:PURPLE",
                    "severity": "apocalyptic",
                    "observables": AnyEncodable([
                        ["value": "192.0.2.1"], ["kind": "ip-prefix", "value": "192.0.2.7/24"], ["value": "???"],
                    ]),
                    "addTeams": AnyEncodable(["nobody"]),
                ], as: .handler, forum: forum, app: app)
            #expect(response.status == .unprocessableEntity)
            let problem = try JSONDecoder().decode(DirectoryAPITests.Problem.self, from: Data(buffer: response.body))
            #expect(
                Set(problem.errors?.map(\.field) ?? []) == [
                    "title", "classification", "severity", "tlp", "observables[1].value", "observables[2].value",
                    "addTeams[0]",
                ])
            #expect(try await Incident.query(on: app.db).count() == 1, "only the seeded incident")
        }
    }
}

/// A JSON value of any encodable type, for request bodies that mix strings and arrays.
struct AnyEncodable: Encodable, ExpressibleByStringLiteral {
    private let encodeValue: (any Encoder) throws -> Void

    init(_ value: some Encodable) { encodeValue = { try value.encode(to: $0) } }
    init(stringLiteral value: String) { self.init(value) }

    func encode(to encoder: any Encoder) throws { try encodeValue(encoder) }
}

@Suite struct DeadlineSchedulerTests {
    @Test func missedAcknowledgementsEscalateTwiceOnTheTimeline() async throws {
        try await withApp { app in
            // setup: a report to SingCERT (24/7: two hours) and NUSCERT (business hours)
            let forum = try await TestForum.seed(app)
            let response = try await IncidentTests.report(
                [
                    "title": "Scan", "classification": "information-gathering/scanner", "tlp": "TLP:GREEN",
                    "observables": AnyEncodable([["value": "198.51.100.100"], ["value": "AS64500"]]),
                ], as: .handler, forum: forum, app: app)
            let incident = try response.content.decode(IncidentDTO.self)
            let reported = incident.reportedAt
            // act / validate: nothing is due before the deadline
            #expect(try await DeadlineScheduler.runDue(at: reported.addingTimeInterval(3600), on: app.db) == 0)
            // after two hours SingCERT is notified on its next channel and gets one more hour
            #expect(try await DeadlineScheduler.runDue(at: reported.addingTimeInterval(7300), on: app.db) == 1)
            var shown = try await app.testing().send(
                .GET, "/api/v1/incidents/\(incident.number)", headers: forum.headers(.handler)
            )
            .content.decode(IncidentDTO.self)
            let singcert = try #require(shown.assignments.first { $0.team == "singcert" })
            #expect(singcert.escalations == 1 && singcert.state.rawValue == "notified")
            #expect(
                abs((singcert.deadline ?? .distantPast).timeIntervalSince(reported.addingTimeInterval(7300 + 3600))) < 1
            )
            // an hour later still nothing: the secretariat is alerted, and then the scheduler leaves it alone
            #expect(try await DeadlineScheduler.runDue(at: reported.addingTimeInterval(11_000), on: app.db) == 1)
            #expect(try await DeadlineScheduler.runDue(at: reported.addingTimeInterval(12_000), on: app.db) == 0)
            shown = try await app.testing().send(
                .GET, "/api/v1/incidents/\(incident.number)", headers: forum.headers(.handler)
            )
            .content.decode(IncidentDTO.self)
            #expect(
                shown.timeline.filter { $0.actor == "scheduler" }.map(\.text) == [
                    "SingCERT: acknowledgement deadline missed; notified again on the next channel",
                    "SingCERT: acknowledgement deadline missed again; secretariat alerted",
                ])
            #expect(shown.assignments.first { $0.team == "singcert" }?.escalations == 2)
            #expect(
                shown.assignments.first { $0.team == "nuscert" }?.escalations == 0,
                "NUSCERT's next business day has not passed")
            // an acknowledged assignment is never escalated
            _ = try await app.testing().send(
                .POST, "/api/v1/incidents/\(incident.number)/assignments/nuscert",
                headers: forum.headers(.teamAdminOther), body: json(["event": "acknowledge"]))
            #expect(try await DeadlineScheduler.runDue(at: reported.addingTimeInterval(30 * 86_400), on: app.db) == 0)
        }
    }
}
