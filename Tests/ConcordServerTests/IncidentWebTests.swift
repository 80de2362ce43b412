import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import ConcordServer

/// The incident pages: report with a routing preview, the inbox and its unread marks, working an
/// assignment, comments, attachments and the secretariat's re-routing, all through the web forms.
@Suite struct IncidentWebTests {
    static func incident(_ number: String, forum: TestForum, app: Application) async throws -> IncidentDTO {
        try await NotificationMailTests.incident(number, forum: forum, app: app)
    }

    @Test func aHandlerPreviewsTheRoutingDropsATeamAndReports() async throws {
        try await withApp { app in
            // setup
            let forum = try await TestForum.seed(app)
            let handler = try await WebSession.start(app, as: .handler)
            let fields: [(String, String)] = [
                ("title", "Brute force on SSH"), ("classification", "intrusion-attempts/brute-force"),
                ("severity", "high"), ("tlp", "TLP:AMBER"), ("observables", "198.51.100.100\nAS64500"),
                ("description", "Block 198.51.100.100 at the edge."),
            ]
            // act
            let form = try await handler.send(.GET, "/incidents/new", form: [:], app: app)
            let preview = try await handler.post("/incidents/new", fields: fields + [("action", "preview")], app: app)
            let reported = try await handler.post(
                "/incidents/new",
                fields: fields + [
                    ("action", "report"), ("previewed[]", "singcert"), ("previewed[]", "nuscert"),
                    ("keep[]", "singcert"),
                ], app: app)
            let bad = try await handler.post(
                "/incidents/new", fields: [("action", "report"), ("observables", "not an observable")], app: app)
            // validate
            #expect(form.status == .ok && form.body.string.contains("intrusion-attempts/brute-force"))
            #expect(preview.status == .ok)
            #expect(preview.body.string.contains("198.51.100.100 in 198.51.100.96/27 of SingCERT"))
            #expect(preview.body.string.contains("AS64500: AS64500 of NUSCERT"))
            #expect(reported.status == .seeOther)
            let location = try #require(reported.headers.first(name: .location))
            let number = String(location.dropFirst("/incidents/".count))
            #expect(location == Paths.incidentPage(number), "the page of the new incident")
            let stored = try await Self.incident(number, forum: forum, app: app)
            #expect(stored.assignments.map(\.team) == ["singcert"], "NUSCERT was unticked")
            #expect(stored.severity == "high" && stored.tlp.rawValue == "TLP:AMBER")
            #expect(
                bad.status == .unprocessableEntity && bad.body.string.contains("<strong>Observables, line 1</strong>"))
            #expect(!bad.body.string.contains("observables[0]"), "the API's field names stay out of the form")
        }
    }

    @Test func theTeamWorksItsAssignmentCommentsAndAttachesOnTheIncidentPage() async throws {
        try await withApp { app in
            // setup: the seeded incident is assigned to SingCERT and NUSCERT
            let forum = try await TestForum.seed(app)
            let number = forum.incidentNumber
            let handler = try await WebSession.start(app, as: .handler)
            let observer = try await WebSession.start(app, as: .observer)
            // act
            let page = try await handler.send(.GET, "/incidents/\(number)", form: [:], app: app)
            let acknowledged = try await handler.post(
                "/incidents/\(number)/assignments/singcert", fields: [("event", "acknowledge")], app: app)
            let notOurs = try await handler.post(
                "/incidents/\(number)/assignments/nuscert", fields: [("event", "acknowledge")], app: app)
            let commented = try await handler.post(
                "/incidents/\(number)/comments", fields: [("text", "Blocked at the border router.")], app: app)
            let observerComment = try await observer.post(
                "/incidents/\(number)/comments", fields: [("text", "me too")], app: app)
            let pcap = Data([0xD4, 0xC3, 0xB2, 0xA1]) + Data(repeating: 7, count: 100)
            let uploaded = try await handler.upload(
                "/incidents/\(number)/attachments", field: "file", filename: "scan.pcap", data: pcap, app: app)
            let executable = try await handler.upload(
                "/incidents/\(number)/attachments", field: "file", filename: "dropper.exe",
                data: Data("MZ\u{90}\u{0}".utf8), app: app)
            // validate
            #expect(page.status == .ok)
            #expect(page.body.string.contains("event-acknowledge"), "SingCERT's handler gets the button")
            #expect(acknowledged.status == .seeOther)
            #expect(notOurs.status == .forbidden, "not the handler's team")
            #expect(commented.status == .seeOther && observerComment.status == .forbidden)
            #expect(uploaded.status == .seeOther)
            #expect(executable.status == .unprocessableEntity && executable.body.string.contains("password-protected"))
            let incident = try await Self.incident(number, forum: forum, app: app)
            #expect(incident.assignments.first { $0.team == "singcert" }?.state.rawValue == "acknowledged")
            #expect(incident.timeline.contains { $0.kind == "comment" && $0.text == "Blocked at the border router." })
            let file = try #require(incident.attachments.first)
            #expect(file.filename == "scan.pcap" && file.size == 104)
            let digest = SHA256.hash(data: pcap).map { String(format: "%02x", $0) }.joined()
            #expect(file.sha256 == digest)
            let download = try await handler.send(
                .GET, "/incidents/\(number)/attachments/\(file.id)", form: [:], app: app)
            #expect(download.status == .ok && Data(buffer: download.body) == pcap)
            #expect(download.headers.first(name: .contentDisposition) == "attachment; filename=\"scan.pcap\"")
            #expect(download.headers.contentType == .binary)
            let api = try await app.testing().send(
                .GET, "/api/v1/incidents/\(number)/attachments/\(file.id)", headers: forum.headers(.teamAdminOther))
            #expect(api.status == .ok && Data(buffer: api.body) == pcap, "the assigned team's admin may fetch it")
        }
    }

    @Test func theInboxCountsWhatIsNewSinceTheUserLastLooked() async throws {
        try await withApp { app in
            let forum = try await TestForum.seed(app)
            let clock = ManualClock(FixedClock().time.addingTimeInterval(60))
            app.clock = clock
            let number = forum.incidentNumber
            func inbox(_ actor: Actor) async throws -> InboxDTO {
                try await app.testing().send(.GET, "/api/v1/inbox", headers: forum.headers(actor))
                    .content.decode(InboxDTO.self)
            }
            let before = try await inbox(.teamAdminOther)
            _ = try await app.testing().send(
                .GET, "/api/v1/incidents/\(number)", headers: forum.headers(.teamAdminOther))
            let afterReading = try await inbox(.teamAdminOther)
            clock.advance(1)
            _ = try await app.testing().send(
                .POST, "/api/v1/incidents/\(number)/comments", headers: forum.headers(.handler),
                body: json(["text": "Still scanning."]))
            let afterComment = try await inbox(.teamAdminOther)
            let page = try await WebSession.start(app, as: .teamAdminOther).send(
                .GET, "/incidents", form: [:], app: app)
            #expect(before.unread == 1 && before.items.first?.number == number)
            #expect(before.items.first?.reason == "assigned" && before.items.first?.teamState?.rawValue == "notified")
            #expect(afterReading.unread == 0)
            #expect(afterComment.unread == 1)
            #expect(page.status == .ok && page.body.string.contains("1 unread") && page.body.string.contains(number))
            let secretariat = try await inbox(.secretariat)
            #expect(secretariat.items.isEmpty, "assigned and acknowledged by others: not the secretariat's queue")
        }
    }

    @Test func theSecretariatReroutesAndEveryChangeIsOnTheTimeline() async throws {
        try await withApp { app in
            let forum = try await TestForum.seed(app)
            let number = forum.incidentNumber
            let secretariat = try await WebSession.start(app, as: .secretariat)
            let handler = try await WebSession.start(app, as: .handler)
            let rerouted = try await secretariat.post(
                "/incidents/\(number)/routing",
                fields: [("addTeam", "jpcert-cc"), ("removeTeam", "nuscert"), ("note", "IPv6 part is Japan's")],
                app: app)
            let refused = try await handler.post(
                "/incidents/\(number)/routing", fields: [("addTeam", "nuscert")], app: app)
            let twice = try await app.testing().send(
                .POST, "/api/v1/incidents/\(number)/routing", headers: forum.headers(.secretariat),
                body: json(["addTeams": ["jpcert-cc"]]))
            #expect(rerouted.status == .seeOther)
            #expect(refused.status == .forbidden)
            #expect(twice.status == .unprocessableEntity && twice.body.string.contains("assigned already"))
            let incident = try await Self.incident(number, forum: forum, app: app)
            #expect(Set(incident.assignments.map(\.team)) == ["singcert", "jpcert-cc"])
            #expect(
                incident.assignments.first { $0.team == "jpcert-cc" }?.reasons == [
                    "added by the secretariat: IPv6 part is Japan's"
                ])
            #expect(
                incident.timeline.map(\.text).contains(
                    "re-routed: NUSCERT removed (was notified): IPv6 part is Japan's"))
            #expect(
                incident.timeline.map(\.text).contains(
                    "re-routed: assigned to JPCERT/CC (added by the secretariat: IPv6 part is Japan's)"))
            let queued = try await OutboxMessage.query(on: app.db).filter(\.$purpose == "assigned").count()
            #expect(queued == 0, "JPCERT/CC has no e-mail contact in the test forum, so nothing is queued")
        }
    }
}

/// Attachments through the API: the body is the file, the limit holds, and TLP:RED files stay
/// with the people the incident names.
@Suite struct IncidentAttachmentAPITests {
    @Test func filesAreStoredByDigestLimitedInSizeAndGuardedByThePolicy() async throws {
        try await withApp { app in
            let forum = try await TestForum.seed(app)
            app.concord.attachmentMaxBytes = 64
            func upload(_ number: String, _ bytes: [UInt8], as actor: Actor) async throws -> TestingHTTPResponse {
                try await app.testing().send(
                    .POST, "/api/v1/incidents/\(number)/attachments?filename=auth.log", headers: forum.headers(actor),
                    body: ByteBuffer(bytes: bytes), contentType: .plainText)
            }
            let log = Array("Nov 22 sshd[1]: Failed password for root from 198.51.100.100\n".utf8)
            let stored = try await upload(forum.incidentNumber, log, as: .handler)
            let tooLarge = try await upload(forum.incidentNumber, Array(repeating: 65, count: 65), as: .handler)
            let red = try await IncidentTests.report(
                [
                    "title": "Insider", "classification": "information-content-security/data-leak",
                    "tlp": "TLP:RED", "recipients": AnyEncodable(["handler@test.example"]),
                    "observables": AnyEncodable([["value": "198.51.100.100"]]),
                ], as: .handler, forum: forum, app: app
            ).content.decode(IncidentDTO.self).number
            let redFile = try await upload(red, log, as: .handler).content.decode(AttachmentDTO.self)
            let bySecretariat = try await app.testing().send(
                .GET, "/api/v1/incidents/\(red)/attachments/\(redFile.id)", headers: forum.headers(.secretariat))
            let byHandler = try await app.testing().send(
                .GET, "/api/v1/incidents/\(red)/attachments/\(redFile.id)", headers: forum.headers(.handler))
            #expect(stored.status == .created)
            let dto = try stored.content.decode(AttachmentDTO.self)
            #expect(dto.size == log.count && dto.contentType.hasPrefix("text/plain"))
            let path = IncidentContributions.path(
                of: try #require(try await IncidentAttachment.find(dto.id, on: app.db)), in: app.concord)
            #expect(FileManager.default.contents(atPath: path) == Data(log), "on disk under its SHA-256")
            #expect(path.hasSuffix(dto.sha256))
            #expect(tooLarge.status == .unprocessableEntity && tooLarge.body.string.contains("limit of 64 bytes"))
            #expect(bySecretariat.status == .notFound, "TLP:RED: not even the secretariat")
            #expect(byHandler.status == .ok && Data(buffer: byHandler.body) == Data(log))
        }
    }
}

@Suite struct ClosedIncidentTests {
    @Test func aClosedIncidentIsNotEscalatedAnyMore() async throws {
        try await withApp { app in
            let forum = try await TestForum.seed(app)
            let number = try await OutboxDeliveryTests.reportScan(forum, app)
            let closed = try await app.testing().send(
                .POST, "/api/v1/incidents/\(number)/close", headers: forum.headers(.handler))
            #expect(closed.status == .ok)
            #expect(try await DeadlineScheduler.runDue(at: Date().addingTimeInterval(86_400), on: app.db) == 0)
        }
    }
}

@Suite struct SchedulerInstancesTests {
    /// Two `concord serve` on one database run the scheduler at the same moment: one escalation.
    @Test func twoSchedulersEscalateOnce() async throws {
        try await withApp { app in
            let forum = try await TestForum.seed(app)
            let number = try await OutboxDeliveryTests.reportScan(forum, app)
            let later = Date().addingTimeInterval(7300)
            async let first = DeadlineScheduler.runDue(at: later, on: app.db)
            async let second = DeadlineScheduler.runDue(at: later, on: app.db)
            let total = try await first + second
            let incident = try await NotificationMailTests.incident(number, forum: forum, app: app)
            #expect(total == 1)
            #expect(incident.timeline.filter { $0.text.contains("deadline missed") }.count == 1)
            #expect(try await OutboxMessage.query(on: app.db).filter(\.$purpose == "reminder").count() == 1)
        }
    }
}

@Suite struct IncidentListFilterTests {
    @Test func theListNarrowsByTeamReporterTLPStateAndTime() async throws {
        try await withApp { app in
            let forum = try await TestForum.seed(app)
            let amber = try await IncidentTests.report(
                [
                    "title": "C2", "classification": "malicious-code/c2-server", "tlp": "TLP:AMBER",
                    "observables": AnyEncodable([["value": "2001:db8:800::1"]]),
                ], as: .handler, forum: forum, app: app
            ).content.decode(IncidentDTO.self).number
            func list(_ query: String) async throws -> TestingHTTPResponse {
                try await app.testing().send(.GET, "/api/v1/incidents?\(query)", headers: forum.headers(.secretariat))
            }
            func numbers(_ query: String) async throws -> [String] {
                try await list(query).content.decode([IncidentSummaryDTO].self).map(\.number)
            }
            #expect(try await numbers("team=jpcert-cc") == [amber])
            #expect(try await numbers("team=nuscert") == [forum.incidentNumber])
            #expect(try await numbers("tlp=TLP:GREEN") == [forum.incidentNumber])
            #expect(Set(try await numbers("reporter=singcert")) == [amber, forum.incidentNumber])
            #expect(try await numbers("state=closed").isEmpty)
            #expect(Set(try await numbers("state=open")) == [amber, forum.incidentNumber])
            #expect(try await numbers("since=2999-01-01T00:00:00Z").isEmpty)
            let bad = try await list("state=lost&team=nobody")
            #expect(bad.status == .unprocessableEntity && bad.body.string.contains("unknown team 'nobody'"))
        }
    }
}
