import ConcordCore
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import ConcordServer

/// The incident page under pressure (issue 17 §3): the title as the headline, one primary action
/// for the team, Decline and Close behind a second step, each team's 24/7 contacts beside its
/// deadline, a message after every action, refusals shown in place with the input kept, and the
/// report form's errors named as the form labels its fields.
@Suite struct IncidentPageTests {
    @Test func theTeamSeesTheTitleOnePrimaryActionAndTheTeamsContacts() async throws {
        try await withApp { app in
            let now = FixedClock().time
            app.clock = FixedClock(now)
            let forum = try await TestForum.seed(app)
            try await DirectoryLookupWebTests.seedContacts(app, forum)
            _ = try await DeskTests.seedQueue(app, forum, now: now)
            let handler = try await WebSession.start(app, as: .handler)
            let html = try await handler.send(.GET, "/incidents/\(forum.incidentNumber)", form: [:], app: app).body
                .string
            #expect(html.contains(#"<h1 id="incident-title">Seeded scan report</h1>"#))
            let singcert = try #require(html.range(of: #"data-team="singcert""#))
            let nuscert = try #require(html.range(of: #"data-team="nuscert""#))
            #expect(nuscert.lowerBound < singcert.lowerBound, "teams in name order")
            let mine = String(html[singcert.lowerBound...])
            #expect(mine.contains(#"<button class="primary event-acknowledge" type="submit">Acknowledge</button>"#))
            #expect(mine.contains(#"<details class="decline"><summary class="event-decline">Decline…</summary>"#))
            #expect(mine.contains(#"href="tel:+6565550100""#), "SingCERT's 24/7 phone beside its deadline")
            #expect(mine.contains("overdue by 10 min") && mine.contains(#"data-deadline=""#))
            #expect(
                !html[nuscert.lowerBound..<max(nuscert.lowerBound, singcert.lowerBound)].contains("event-acknowledge"),
                "no buttons for another team")
            #expect(html.contains(#"<summary id="close-incident">Close the incident…</summary>"#))
            #expect(html.contains(#"<script src="/static/countdown.js"></script>"#))
        }
    }

    @Test func everyActionEndsWithAMessageShownOnce() async throws {
        try await withApp { app in
            let forum = try await TestForum.seed(app)
            let handler = try await WebSession.start(app, as: .handler)
            let path = "/incidents/\(forum.incidentNumber)"
            let acknowledged = try await handler.post(
                path + "/assignments/singcert", fields: [("event", "acknowledge")], app: app)
            #expect(acknowledged.status == .seeOther)
            let page = try await handler.send(.GET, path, form: [:], app: app).body.string
            #expect(
                page.contains(
                    #"<p class="flash" id="flash" role="status">Acknowledged for SingCERT. NUSCERT has not acknowledged yet.</p>"#
                ))
            #expect(page.contains(#"<button class="primary event-start" type="submit">Start work</button>"#))
            let again = try await handler.send(.GET, path, form: [:], app: app).body.string
            #expect(!again.contains(#"id="flash""#), "the message is shown once")
            _ = try await handler.post(path + "/comments", fields: [("text", "Looking into it")], app: app)
            #expect(try await handler.send(.GET, path, form: [:], app: app).body.string.contains(">Comment added.</p>"))
        }
    }

    @Test func aRefusedActionIsShownInPlaceWithTheInputKept() async throws {
        try await withApp { app in
            let forum = try await TestForum.seed(app)
            let handler = try await WebSession.start(app, as: .handler)
            let path = "/incidents/\(forum.incidentNumber)"
            let executable = try await handler.upload(
                path + "/attachments", field: "file", filename: "dropper.exe", data: Data("MZ\u{90}\0".utf8), app: app)
            let page = executable.body.string
            #expect(executable.status == .unprocessableEntity)
            #expect(
                page.contains(#"<h1 id="incident-title">Seeded scan report</h1>"#), "the incident page, not a bare one")
            #expect(page.contains(#"id="attachment-error""#) && page.contains("password-protected"))
            let long = String(repeating: "x", count: 10_001)
            let comment = try await handler.post(path + "/comments", fields: [("text", long)], app: app)
            #expect(comment.status == .unprocessableEntity)
            #expect(comment.body.string.contains(#"id="comment-error""#))
            #expect(comment.body.string.contains(">\(long)</textarea>"), "what was typed is kept")
            let stored = try await app.testing().send(
                .GET, "/api/v1/incidents/\(forum.incidentNumber)", headers: forum.headers(.handler)
            ).content.decode(IncidentDTO.self)
            #expect(stored.attachments.isEmpty && !stored.timeline.contains { $0.kind == "comment" })
        }
    }

    @Test func theReportFormNamesItsFieldsAsItLabelsThem() async throws {
        try await withApp { app in
            _ = try await TestForum.seed(app)
            let handler = try await WebSession.start(app, as: .handler)
            let page = try await handler.post(
                "/incidents/new",
                fields: [
                    ("action", "report"), ("title", ""), ("classification", "information-gathering/scanner"),
                    ("observables", "198.51.100.1\n\n10.0.0.0/33"),
                ], app: app)
            let html = page.body.string
            #expect(page.status == .unprocessableEntity)
            #expect(html.contains("<strong>Observables, line 3</strong>: "), "the blank line counts")
            #expect(html.contains(#"<span class="field-error">Title: "#))
            let box = try #require(html.range(of: #"id="observables""#))
            let beside = try #require(html.range(of: #"<span class="field-error">Observables, line 3: "#))
            #expect(box.lowerBound < beside.lowerBound, "the error sits under the observables box")
            #expect(html.contains(#"<optgroup label="Information gathering">"#) && html.contains(">Scanner ("))
        }
    }

    @Test func aMessageSaysWhereTheOtherTeamsStand() {
        #expect(
            ReportFormErrors([.init(field: "observables[1].value", detail: "bad")], observableLines: [1, 4]).all
                == [.init(label: "Observables, line 4", detail: "bad")])
        #expect(ReportFormErrors.lines(of: "a\n\n b \n").map(\.number) == [1, 3])
        #expect(IncidentWebController.actions(for: .acknowledged).primary?.label == "Start work")
        #expect(IncidentWebController.actions(for: .acknowledged).secondary.map(\.event) == ["resolve"])
        #expect(IncidentWebController.actions(for: .declined).primary == nil)
    }
}
