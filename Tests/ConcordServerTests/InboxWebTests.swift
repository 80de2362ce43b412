import ConcordCore
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import ConcordServer

/// The inbox page (issue 17 §3): filters by state, TLP, classification, team and "overdue", sorts
/// by date or deadline, searches numbers, titles and observables, pages in the database, says each
/// incident's progress in words, and shows the secretariat every incident the policy lets it read.
@Suite struct InboxWebTests {
    struct Seeded {
        let soon: String
        let red: String
        let triage: String
        let observed: String
    }

    static func seed(_ app: Application, _ forum: TestForum, now: Date) async throws -> Seeded {
        let queue = try await DeskTests.seedQueue(app, forum, now: now)
        let singcert = try #require(try await Team.query(on: app.db).filter(\.$slug == "singcert").first())
        let observed = try await DeskTests.incident(
            app, "Phishing kit 100% live_site", tlp: .green, reporter: singcert, assigned: [])
        let incident = try #require(try await Incident.query(on: app.db).filter(\.$number == observed).first())
        let observable = IncidentObservable()
        observable.$incident.id = try incident.requireID()
        observable.kind = "url"
        observable.value = "http://Login.Bank.Example/kit"
        try await observable.create(on: app.db)
        return Seeded(soon: queue.soon, red: queue.red, triage: queue.triage, observed: observed)
    }

    /// The incident numbers of the inbox table, in order.
    static func numbers(_ html: String) -> [String] {
        html.matches(of: #/<tr class="inbox-item[^"]*" data-number="([^"]+)"/#).map { String($0.output.1) }
    }

    @Test func aTeamFiltersSearchesAndSortsItsOwnIncidents() async throws {
        try await withApp { app in
            let now = FixedClock().time
            app.clock = FixedClock(now)
            let forum = try await TestForum.seed(app)
            let seeded = try await Self.seed(app, forum, now: now)
            let handler = try await WebSession.start(app, as: .handler)
            func inbox(_ query: String) async throws -> (HTTPStatus, String) {
                let page = try await handler.send(.GET, "/incidents" + query, form: [:], app: app)
                return (page.status, page.body.string)
            }
            let (status, all) = try await inbox("")
            #expect(status == .ok)
            #expect(
                Set(Self.numbers(all)) == [forum.incidentNumber, seeded.soon, seeded.triage, seeded.observed],
                "SingCERT's own: assigned or reported, never NUSCERT's RED")
            #expect(all.contains("2 teams · 2 not acknowledged"))
            #expect(all.contains(#"<span class="left" data-deadline="#) && all.contains("overdue by 10 min"))

            #expect(Self.numbers(try await inbox("?sort=deadline").1).prefix(2) == [forum.incidentNumber, seeded.soon])
            #expect(Self.numbers(try await inbox("?overdue=1").1) == [forum.incidentNumber])
            #expect(Self.numbers(try await inbox("?tlp=TLP:AMBER").1) == [seeded.soon])
            #expect(
                Self.numbers(try await inbox("?state=triage").1).sorted() == [seeded.observed, seeded.triage].sorted())
            #expect(
                Self.numbers(try await inbox("?team=nuscert").1).sorted()
                    == [forum.incidentNumber, seeded.soon].sorted())
            #expect(Self.numbers(try await inbox("?classification=information-gathering").1).count == 4)
            #expect(Self.numbers(try await inbox("?classification=intrusions/burglary").1).isEmpty)
            #expect(Self.numbers(try await inbox("?q=soon").1) == [seeded.soon])
            #expect(Self.numbers(try await inbox("?q=\(seeded.soon.lowercased())").1) == [seeded.soon])
            #expect(Self.numbers(try await inbox("?q=login.bank.example%2Fkit").1).isEmpty, "observables match whole")
            #expect(Self.numbers(try await inbox("?q=http://login.bank.example/kit").1) == [seeded.observed])
            #expect(Self.numbers(try await inbox("?q=100%25").1) == [seeded.observed], "% is a character")
            #expect(Self.numbers(try await inbox("?q=_").1) == [seeded.observed], "_ is a character")
        }
    }

    @Test func aWrongFilterIsNamedAndTheFormKeepsTheSearch() async throws {
        try await withApp { app in
            let forum = try await TestForum.seed(app)
            _ = forum
            let handler = try await WebSession.start(app, as: .handler)
            let page = try await handler.send(
                .GET, "/incidents?tlp=purple&sort=colour&page=0&q=keep+me", form: [:], app: app)
            let html = page.body.string
            #expect(page.status == .unprocessableEntity)
            #expect(
                html.contains("TLP &#39;purple&#39; is not a TLP 2.0 label.") || html.contains("TLP 'purple' is not"))
            #expect(html.contains("Sort by") && html.contains("is not a page number"))
            #expect(html.contains(#"value="keep me""#))
            #expect(Self.numbers(html).isEmpty)
        }
    }

    @Test func theSecretariatSeesEveryTeamsIncidentsButNoRed() async throws {
        try await withApp { app in
            let now = FixedClock().time
            app.clock = FixedClock(now)
            let forum = try await TestForum.seed(app)
            let seeded = try await Self.seed(app, forum, now: now)
            let secretariat = try await WebSession.start(app, as: .secretariat)
            let html = try await secretariat.send(.GET, "/incidents", form: [:], app: app).body.string
            #expect(html.contains("Incidents of the forum"))
            #expect(
                Set(Self.numbers(html)) == [forum.incidentNumber, seeded.soon, seeded.triage, seeded.observed])
            #expect(!html.contains("RED-MARKER"))
            let overdue = try await secretariat.send(.GET, "/incidents?overdue=1&sort=deadline", form: [:], app: app)
            #expect(Self.numbers(overdue.body.string) == [forum.incidentNumber])
        }
    }

    @Test func pagesAreCutByTheDatabase() async throws {
        try await withApp { app in
            let forum = try await TestForum.seed(app)
            let singcert = try #require(try await Team.query(on: app.db).filter(\.$slug == "singcert").first())
            for index in 1...IncidentInboxPage.pageSize + 4 {
                _ = try await DeskTests.incident(app, "Batch \(index)", tlp: .green, reporter: singcert, assigned: [])
            }
            let handler = try await WebSession.start(app, as: .handler)
            let first = try await handler.send(.GET, "/incidents?state=triage", form: [:], app: app).body.string
            #expect(Self.numbers(first).count == IncidentInboxPage.pageSize)
            #expect(first.contains(#"id="page-next" href="/incidents?state=triage&amp;page=2""#))
            #expect(!first.contains(#"id="page-previous""#))
            let second = try await handler.send(.GET, "/incidents?state=triage&page=2", form: [:], app: app).body.string
            #expect(Self.numbers(second).count == 4)
            #expect(Set(Self.numbers(first)).isDisjoint(with: Self.numbers(second)))
            #expect(!second.contains(#"id="page-next""#) && second.contains(#"id="page-previous""#))
            #expect(!Self.numbers(first + second).contains(forum.incidentNumber), "the seeded one is open, not triage")
        }
    }

    @Test func theAPIListTakesTheSameFilters() async throws {
        try await withApp { app in
            let now = FixedClock().time
            app.clock = FixedClock(now)
            let forum = try await TestForum.seed(app)
            let seeded = try await Self.seed(app, forum, now: now)
            func list(_ query: String) async throws -> [String] {
                let response = try await app.testing().send(
                    .GET, "/api/v1/incidents" + query, headers: forum.headers(.handler))
                #expect(response.status == .ok, "\(query)")
                return try response.content.decode([IncidentSummaryDTO].self).map(\.number)
            }
            #expect(try await list("?q=Soon") == [seeded.soon])
            #expect(try await list("?overdue=true") == [forum.incidentNumber])
            #expect(try await list("?state=triage&classification=information-gathering/scanner").count == 2)
            let wrong = try await app.testing().send(
                .GET, "/api/v1/incidents?classification=bogus&overdue=maybe", headers: forum.headers(.handler))
            #expect(wrong.status == .unprocessableEntity || wrong.status == .badRequest)
            #expect(wrong.body.string.contains("classification") && wrong.body.string.contains("overdue"))
        }
    }

    @Test func progressSaysEachTeamsStateInWords() {
        #expect(IncidentInboxPage.progress([]) == "no team yet")
        #expect(IncidentInboxPage.progress([.acknowledged]) == "1 team · 1 acknowledged")
        #expect(
            IncidentInboxPage.progress([.notified, .resolved, .acknowledged])
                == "3 teams · 1 not acknowledged · 1 acknowledged · 1 resolved")
        #expect(RSITClassification.label("malicious-code") == "Malicious code")
        #expect(RSITClassification.label("c2-server") == "C2 server")
        #expect(RSITClassification.label("ddos") == "DDoS")
    }
}
