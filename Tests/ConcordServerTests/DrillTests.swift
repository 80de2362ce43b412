import ConcordCore
import ConcordTestTools
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import ConcordServer

/// Drills through the API on a clock the test moves: the library, planning, injects released on
/// time through the outbox, the players' answers matched to what each inject expects, exercise
/// control's pause, release, skip and decisions, and the board each party sees.
@Suite struct DrillTests {
    /// Four injects for SingCERT and NUSCERT over four hours.
    static let scenario = """
        concord-scenario: 1
        title: Test drill
        duration: 4h
        participants: [singcert, nuscert]
        injects:
          - id: warning
            at: 0m
            to: all
            channel: email
            subject: "Beaconing seen from {{team.economy}}"
            body: "Dear {{team.name}}, please acknowledge."
            expect: {action: acknowledge, within: 30m}
          - id: log
            at: 45m
            to: all
            channel: web
            subject: Firewall log
            body: Report the C2 address in the log attached.
            attachments: [fw.log]
            expect: {action: report-incident, observables: [203.0.113.50], within: 1h}
          - id: handover
            at: 2h
            to: [singcert]
            channel: incident
            subject: The server moved
            body: Hand it over to the team responsible.
            expect: {action: notify-team, team: nuscert, within: 1h}
          - id: question
            at: 3h
            to: [nuscert]
            channel: web
            subject: Which port?
            body: Which port does the malware call home on?
            expect: {action: answer, question: Which port?, accept: ["8443"], within: 30m}
        """

    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }()

    static func body(_ value: some Encodable) throws -> ByteBuffer { ByteBuffer(data: try encoder.encode(value)) }

    /// Uploads the scenario and plans a drill starting at `start`; returns the drill's id.
    static func plan(start: Date, forum: TestForum, app: Application) async throws -> UUID {
        let uploaded = try await app.testing().send(
            .POST, "/api/v1/drill-scenarios", headers: forum.headers(.secretariat),
            body: try body(
                DrillScenarioInput(
                    source: scenario, files: ["fw.log": Data("DROP 203.0.113.50".utf8).base64EncodedString()])))
        #expect(uploaded.status == .created, "\(uploaded.body.string)")
        let record = try uploaded.content.decode(DrillScenarioDTO.self)
        #expect(record.summary == "\"Test drill\": 4 injects (1 email, 1 incident, 2 web) for 2 teams over 4h")
        let created = try await app.testing().send(
            .POST, "/api/v1/drills", headers: forum.headers(.secretariat),
            body: try body(
                DrillInput(
                    scenario: record.id, title: nil, start: start,
                    participants: [
                        .init(team: "singcert", part: nil, partner: nil),
                        .init(team: "nuscert", part: nil, partner: true),
                        .init(team: "jpcert-cc", part: "control", partner: nil),
                    ])))
        #expect(created.status == .created, "\(created.body.string)")
        return try created.content.decode(DrillDTO.self).id
    }

    static func respond(
        _ drill: UUID, _ input: DrillResponseInput, as actor: Actor, forum: TestForum, app: Application
    ) async throws -> TestingHTTPResponse {
        try await app.testing().send(
            .POST, "/api/v1/drills/\(drill)/responses", headers: forum.headers(actor), body: try body(input))
    }

    static func board(_ drill: UUID, as actor: Actor, forum: TestForum, app: Application) async throws
        -> DrillBoardDTO
    {
        try await app.testing().send(.GET, "/api/v1/drills/\(drill)/board", headers: forum.headers(actor))
            .content.decode(DrillBoardDTO.self)
    }

    static func states(_ board: DrillBoardDTO) -> [String: [String]] {
        Dictionary(
            uniqueKeysWithValues: board.teams.map { row in
                (row.team, row.cells.map { "\($0.inject):\($0.state.rawValue)\($0.late ? " late" : "")" })
            })
    }

    @Test func aDrillRunsOnItsClockAndEveryAnswerIsMatched() async throws {
        try await withApp { app in
            let forum = try await TestForum.seed(app)
            let start = Date(timeIntervalSince1970: 1_796_263_200)  // 2026-12-03T02:00:00Z
            let clock = ManualDrillClock(start.addingTimeInterval(-600))
            app.drillClock = clock
            let drill = try await Self.plan(start: start, forum: forum, app: app)

            // Before the start nothing goes out; at the start the first inject goes to both teams.
            #expect(try await DrillScheduler.runDue(at: clock.now(), mailedAt: app.clock.now(), on: app.db) == 0)
            clock.advance(600)
            #expect(try await DrillScheduler.runDue(at: clock.now(), mailedAt: app.clock.now(), on: app.db) == 1)
            #expect(
                try await DrillScheduler.runDue(at: clock.now(), mailedAt: app.clock.now(), on: app.db) == 0,
                "released once")
            let mails = try await OutboxMessage.query(on: app.db).filter(\.$purpose == "drill-inject").all()
            // Both teams have the inject; SingCERT (the only one with an emergency address here) by mail.
            #expect(try await DrillDelivery.query(on: app.db).count() == 2)
            #expect(mails.count == 1)
            #expect(mails.allSatisfy { $0.subject == "[DRILL] [TLP:AMBER] Beaconing seen from Singapore" })
            #expect(mails.allSatisfy { $0.body.hasPrefix(DrillInjectText.banner) && $0.body.contains("by 2026-12-03") })
            #expect(mails.first?.body.contains("Dear SingCERT, please acknowledge.") == true)

            // SingCERT acknowledges in 5 minutes; NUSCERT after 40, past its 30.
            clock.advance(300)
            let ack = DrillResponseInput(inject: "warning", kind: "acknowledge", observables: nil, team: nil, text: nil)
            #expect(try await Self.respond(drill, ack, as: .handler, forum: forum, app: app).status == .created)
            #expect(try await Self.respond(drill, ack, as: .observer, forum: forum, app: app).status == .forbidden)
            clock.advance(35 * 60)
            #expect(try await Self.respond(drill, ack, as: .teamAdminOther, forum: forum, app: app).status == .created)

            // At 45 minutes the log goes out; SingCERT reports the address, NUSCERT never does.
            clock.advance(5 * 60)
            #expect(try await DrillScheduler.runDue(at: clock.now(), mailedAt: app.clock.now(), on: app.db) == 1)
            let wrong = DrillResponseInput(
                inject: "log", kind: "report-incident", observables: ["192.0.2.1"], team: nil, text: nil)
            let unrelated = try await Self.respond(drill, wrong, as: .handler, forum: forum, app: app)
            #expect(try unrelated.content.decode(DrillActionDTO.self).outcome == "unrelated")
            let report = DrillResponseInput(
                inject: "log", kind: "report-incident", observables: ["203.0.113.50", "192.0.2.1"], team: nil,
                text: nil)
            let matched = try await Self.respond(drill, report, as: .handler, forum: forum, app: app)
            #expect(try matched.content.decode(DrillActionDTO.self).outcome == "satisfied")
            let bad = DrillResponseInput(
                inject: "log", kind: "report-incident", observables: ["nonsense"], team: nil, text: nil)
            #expect(
                try await Self.respond(drill, bad, as: .handler, forum: forum, app: app).status == .unprocessableEntity)

            // Exercise control pauses for 20 minutes: the handover inject comes 20 minutes later,
            // and NUSCERT's open deadline moves by as much.
            let control = { (action: String, inject: String?) in
                try await app.testing().send(
                    .POST, "/api/v1/drills/\(drill)/control", headers: forum.headers(.secretariat),
                    body: try Self.body(DrillControlInput(action: action, inject: inject)))
            }
            clock.advance(15 * 60)  // 1h00m
            #expect(try await control("pause", nil).status == .ok)
            #expect(try await control("pause", nil).status == .conflict)
            clock.advance(20 * 60)
            #expect(
                try await DrillScheduler.runDue(at: clock.now(), mailedAt: app.clock.now(), on: app.db) == 0, "paused")
            #expect(try await control("resume", nil).status == .ok)
            let open = try await DrillDelivery.query(on: app.db).filter(\.$completedAt == nil).all()
            #expect(open.count == 1 && open.first?.deadlineAt == start.addingTimeInterval(45 * 60 + 3600 + 20 * 60))
            clock.advance(60 * 60)  // wall 2h20m, drill time 2h00m
            #expect(try await DrillScheduler.runDue(at: clock.now(), mailedAt: app.clock.now(), on: app.db) == 1)
            // SingCERT hands over to NUSCERT: what the inject expects.
            let handover = DrillResponseInput(
                inject: "handover", kind: "hand-over", observables: nil, team: "nuscert", text: nil)
            #expect(try await Self.respond(drill, handover, as: .teamAdmin, forum: forum, app: app).status == .created)
            // NUSCERT did not receive the handover inject.
            let notMine = DrillResponseInput(
                inject: "handover", kind: "acknowledge", observables: nil, team: nil, text: nil)
            #expect(
                try await Self.respond(drill, notMine, as: .teamAdminOther, forum: forum, app: app).status == .notFound)

            // Exercise control releases the question early; NUSCERT's answer waits for a decision.
            #expect(try await control("release", "question").status == .ok)
            #expect(try await control("release", "question").status == .conflict)
            let answer = DrillResponseInput(
                inject: "question", kind: "answer", observables: nil, team: nil, text: "port 443 I think")
            let pending = try await Self.respond(drill, answer, as: .teamAdminOther, forum: forum, app: app)
            let action = try pending.content.decode(DrillActionDTO.self)
            #expect(action.outcome == "needs-confirmation")
            let decided = try await app.testing().send(
                .POST, "/api/v1/drills/\(drill)/actions/\(action.id)/decision", headers: forum.headers(.secretariat),
                body: try Self.body(DrillDecisionInput(confirmed: true)))
            #expect(try decided.content.decode(DrillActionDTO.self).outcome == "confirmed")
            #expect(
                try await app.testing().send(
                    .POST, "/api/v1/drills/\(drill)/actions/\(action.id)/decision", headers: forum.headers(.handler),
                    body: try Self.body(DrillDecisionInput(confirmed: true))
                ).status == .forbidden)

            // The board: exercise control sees both teams, each team itself only.
            clock.advance(3 * 3600)
            #expect(try await DrillScheduler.runDue(at: clock.now(), mailedAt: app.clock.now(), on: app.db) == 0)
            let full = try await Self.board(drill, as: .secretariat, forum: forum, app: app)
            #expect(full.state == "finished" && full.elapsedSeconds == 4 * 3600)
            #expect(
                Self.states(full) == [
                    "nuscert": ["warning:completed late", "log:overdue", "question:completed"],
                    "singcert": ["warning:completed", "log:completed", "handover:completed"],
                ])
            #expect(full.teams.first { $0.team == "nuscert" }?.partner == true)
            #expect(full.teams.first { $0.team == "singcert" }?.startsLocal == "2026-12-03 10:00 Asia/Singapore")
            let own = try await Self.board(drill, as: .observer, forum: forum, app: app)
            #expect(own.teams.map(\.team) == ["singcert"] && own.injects.count == 4)
            let theirs = try await app.testing().send(
                .GET, "/api/v1/drills/\(drill)/actions", headers: forum.headers(.teamAdminOther))
            #expect(try theirs.content.decode([DrillActionDTO].self).map(\.kind) == ["acknowledge", "answer"])
            #expect(
                try await Self.respond(drill, ack, as: .handler, forum: forum, app: app).status == .conflict,
                "a finished drill takes no answers")

            // The report: NUSCERT is a partner, so the forum-wide figures are SingCERT's alone.
            let summary = try await app.testing().send(
                .GET, "/api/v1/drills/\(drill)/report?thresholds=5,30", headers: forum.headers(.secretariat)
            ).content.decode(DrillReportDTO.self)
            let figures = summary.figures
            #expect(figures.invitedTeams == 1 && figures.economies == 1 && figures.participationPercent == 100)
            #expect(figures.partnerTeams == 1 && figures.participatingPartners == 1)
            #expect(figures.acknowledgedWithin == [5: 100, 30: 100])
            #expect(figures.medianSecondsToAcknowledge == 0 && figures.p90SecondsToAcknowledge == 300)
            #expect(figures.expectedResponses == 3 && figures.completedInTime == 3 && figures.overdue == 0)
            #expect(summary.overdue.map { "\($0.team)/\($0.inject)" } == ["nuscert/log"])
            #expect(summary.teams.map { $0.team } == ["nuscert", "singcert"])
            #expect(summary.timeline.first?.text == "inject warning released to 2 teams")
            #expect(summary.timeline.contains { $0.text == "SingCERT: hand-over on handover (satisfied)" })
            let csv = try await app.testing().send(
                .GET, "/api/v1/drills/\(drill)/report.csv", headers: forum.headers(.teamAdminOther))
            let lines = csv.body.string.split(separator: "\r\n")
            #expect(lines.count == 4 && lines.dropFirst().allSatisfy { $0.hasPrefix("nuscert,Singapore,yes,") })
            #expect(lines.contains { $0.hasPrefix("nuscert,Singapore,yes,log,overdue,") })

            // The pages: exercise control's board and report; a player's own injects.
            let controlSession = try await WebSession.start(app, as: .secretariat)
            let page = try await controlSession.send(.GET, "/drills/\(drill)", form: [:], app: app)
            #expect(page.status == .ok)
            #expect(page.body.string.contains(#"id="cell-nuscert-log"><span class="state-overdue""#))
            let html = try await controlSession.send(
                .GET, "/drills/\(drill)/report?thresholds=5,30", form: [:], app: app)
            #expect(html.status == .ok && html.body.string.contains("data:image/svg+xml;base64,"))
            #expect(html.body.string.contains("100% within 5 min"))
            let player = try await WebSession.start(app, as: .handler)
            let inbox = try await player.send(.GET, "/drills/\(drill)", form: [:], app: app)
            #expect(inbox.body.string.contains("Dear SingCERT, please acknowledge."))
            #expect(!inbox.body.string.contains("cell-nuscert"), "a player sees its own row only")
            #expect(inbox.body.string.contains(#"href="/drills/\#(drill.uuidString.lowercased())/files/fw.log""#))
            let attachment = try await player.send(.GET, "/drills/\(drill)/files/fw.log", form: [:], app: app)
            #expect(attachment.body.string == "DROP 203.0.113.50")
            let other = try await WebSession.start(app, as: .teamAdminOther)
            let denied = try await other.send(.GET, "/drills/\(drill)/files/fw.log", form: [:], app: app)
            #expect(denied.status == .ok, "NUSCERT received the log too")
        }
    }

    @Test func theWebUploadNamesTheSameProblems() async throws {
        try await withApp { app in
            _ = try await TestForum.seed(app)
            let session = try await WebSession.start(app, as: .secretariat)
            let refused = try await session.upload(
                "/drills/scenarios", field: "scenario", filename: "broken.yaml",
                data: Data(Self.scenario.replacingOccurrences(of: "channel: web", with: "channel: fax").utf8), app: app)
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.body.string.contains("broken.yaml: injects[1].channel: line 16, column 14: must be one of"))
            #expect(try await DrillScenarioRecord.query(on: app.db).count() == 0)
        }
    }

    /// A reply mail signed with the team's emergency key acknowledges the inject it names and
    /// counts as a signed answer; one signed by another key, or naming no inject, is refused.
    @Test(.needs(.gpg)) func aSignedReplyAcknowledges() async throws {
        try await withApp { app in
            let forum = try await TestForum.seed(app)
            let start = Date(timeIntervalSince1970: 1_796_263_200)
            let clock = ManualDrillClock(start)
            app.drillClock = clock
            let drill = try await Self.plan(start: start, forum: forum, app: app)
            try await DrillScheduler.runDue(at: clock.now(), mailedAt: app.clock.now(), on: app.db)
            let keyring = try await CommCheckTests.Keyring("cert@sg.example", days: 365)
            let contact = try #require(try await Contact.find(forum.singcertContactID, on: app.db))
            let reader = OpenPGPKeyReader(gnupg: app.gnupg, home: app.concord.gnupgHome)
            contact.apply(try await reader.read(keyring.publicKey, now: app.clock.now()), armored: keyring.publicKey)
            try await contact.save(on: app.db)
            let subject = "Subject: Re: [DRILL] [TLP:AMBER] Beaconing seen from Singapore\r\n"
            func post(_ mail: String) async throws -> TestingHTTPResponse {
                try await app.testing().send(
                    .POST, "/api/v1/drills/\(drill)/replies", headers: forum.headers(.secretariat),
                    body: ByteBuffer(string: mail), contentType: .plainText)
            }
            let stranger = try await CommCheckTests.Keyring("cert@sg.example", days: 365)
            let forged = try await post(
                "From: SingCERT <cert@sg.example>\r\n" + subject + "\r\n" + (try await stranger.clearsign("Received.")))
            #expect(forged.status == .unprocessableEntity)
            let nothing = try await post(
                "From: cert@sg.example\r\nSubject: hello\r\n\r\n" + (try await keyring.clearsign("Hi.")))
            #expect(nothing.status == .unprocessableEntity && nothing.body.string.contains("names no inject"))
            clock.advance(120)
            let signed = try await post(
                "From: SingCERT <cert@sg.example>\r\n" + subject + "\r\n" + (try await keyring.clearsign("Received.")))
            #expect(signed.status == .created, "\(signed.body.string)")
            #expect(try signed.content.decode(DrillActionDTO.self).signed)
            let report = try await app.testing().send(
                .GET, "/api/v1/drills/\(drill)/report", headers: forum.headers(.secretariat)
            ).content.decode(DrillReportDTO.self)
            #expect(
                report.figures.answers == 1 && report.figures.signedAnswers == 1 && report.figures.signedPercent == 100)
            #expect(report.teams.first { $0.team == "singcert" }?.cells.first?.secondsToAcknowledge == 120)
        }
    }

    @Test func aBadScenarioIsRefusedWithItsLines() async throws {
        try await withApp { app in
            let forum = try await TestForum.seed(app)
            let refused = try await app.testing().send(
                .POST, "/api/v1/drill-scenarios", headers: forum.headers(.secretariat),
                body: try Self.body(DrillScenarioInput(source: Self.scenario, files: nil)))
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.body.string.contains("line 19, column 19: no file fw.log beside the scenario"))
            #expect(try await DrillScenarioRecord.query(on: app.db).count() == 0)
            let teamAdmin = try await app.testing().send(
                .POST, "/api/v1/drill-scenarios", headers: forum.headers(.teamAdmin),
                body: try Self.body(DrillScenarioInput(source: Self.scenario, files: nil)))
            #expect(teamAdmin.status == .forbidden)
        }
    }

    @Test func aDrillIsHiddenFromTeamsThatTakeNoPart() async throws {
        try await withApp { app in
            let forum = try await TestForum.seed(app)
            app.drillClock = ManualDrillClock(Date(timeIntervalSince1970: 1_796_263_200))
            let uploaded = try await app.testing().send(
                .POST, "/api/v1/drill-scenarios", headers: forum.headers(.secretariat),
                body: try Self.body(
                    DrillScenarioInput(
                        source: Self.scenario.replacingOccurrences(of: "[singcert, nuscert]", with: "[singcert]")
                            .replacingOccurrences(of: "to: [nuscert]", with: "to: all")
                            .replacingOccurrences(of: "team: nuscert", with: "team: singcert"),
                        files: ["fw.log": ""])))
            let record = try uploaded.content.decode(DrillScenarioDTO.self)
            let missingStart = try await app.testing().send(
                .POST, "/api/v1/drills", headers: forum.headers(.secretariat),
                body: try Self.body(DrillInput(scenario: record.id, title: nil, start: nil, participants: nil)))
            #expect(missingStart.status == .unprocessableEntity && missingStart.body.string.contains("relative clock"))
            let created = try await app.testing().send(
                .POST, "/api/v1/drills", headers: forum.headers(.secretariat),
                body: try Self.body(
                    DrillInput(
                        scenario: record.id, title: "Solo", start: Date(timeIntervalSince1970: 1_796_263_200),
                        participants: nil)))
            let drill = try created.content.decode(DrillDTO.self)
            let listed = try await app.testing().send(.GET, "/api/v1/drills", headers: forum.headers(.teamAdminOther))
            #expect(try listed.content.decode([DrillDTO].self).isEmpty)
            let hidden = try await app.testing().send(
                .GET, "/api/v1/drills/\(drill.id)/board", headers: forum.headers(.teamAdminOther))
            #expect(hidden.status == .notFound)
            let mine = try await app.testing().send(.GET, "/api/v1/drills", headers: forum.headers(.observer))
            #expect(try mine.content.decode([DrillDTO].self).map(\.title) == ["Solo"])
        }
    }
}
