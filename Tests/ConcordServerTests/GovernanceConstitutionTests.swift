import ConcordCore
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import ConcordServer

/// The constitution as versioned data (issue 19 §1): the secretariat adopts the founding rules
/// once, on the API, the web page or the command line; rules that cannot be applied are refused
/// whole, each problem named by its path; the version in force on a day is read back with its
/// sentences; concurrent adoptions leave one version; the offices' holders are read by day and a
/// team's history is on its page.
@Suite struct GovernanceConstitutionTests {
    /// 2026-12-10 00:00 UTC.
    static let december = Date(timeIntervalSince1970: 1_796_860_800)

    static func send(
        _ method: HTTPMethod, _ path: String, json: String? = nil, as actor: Actor, forum: TestForum, app: Application
    ) async throws -> TestingHTTPResponse {
        var headers = forum.headers(actor)
        if json != nil { headers.contentType = .json }
        return try await app.testing().send(
            method, "/api/v1\(path)", headers: headers, body: json.map { ByteBuffer(string: $0) })
    }

    static func json(_ rules: Constitution) throws -> String {
        String(decoding: try JSONEncoder().encode(rules), as: UTF8.self)
    }

    static func fields(_ response: TestingHTTPResponse) throws -> [String: String] {
        struct Problem: Decodable { let errors: [ConcordError.FieldError]? }
        let problem = try JSONDecoder().decode(Problem.self, from: Data(response.body.string.utf8))
        return Dictionary((problem.errors ?? []).map { ($0.field, $0.detail) }, uniquingKeysWith: { a, _ in a })
    }

    @Test func theSecretariatAdoptsTheFoundingRulesOnce() async throws {
        try await withApp { app in
            // setup
            let forum = try await TestForum.seed(app)
            app.clock = FixedClock(Self.december)
            let rules = Constitution.seedsForum(effectiveOn: "2026-04-01")
            var broken = rules
            broken.steeringCommittee.seatClasses = [4, 4]
            broken.applications.objectionWindowDays = 0
            let badShare = try Self.json(rules).replacingOccurrences(
                of: #""numerator":1,"#, with: #""numerator":3,"#)

            // act
            let none = try await Self.send(.GET, "/governance/constitution", as: .handler, forum: forum, app: app)
            let byHandler = try await Self.send(
                .POST, "/governance/constitution", json: try Self.json(rules), as: .handler, forum: forum, app: app)
            let refused = try await Self.send(
                .POST, "/governance/constitution", json: try Self.json(broken), as: .secretariat, forum: forum, app: app
            )
            let unreadable = try await Self.send(
                .POST, "/governance/constitution", json: badShare, as: .secretariat, forum: forum, app: app)
            let adopted = try await Self.send(
                .POST, "/governance/constitution", json: try Self.json(rules), as: .secretariat, forum: forum, app: app)
            let again = try await Self.send(
                .POST, "/governance/constitution", json: try Self.json(rules), as: .forumAdmin, forum: forum, app: app)
            let today = try await Self.send(.GET, "/governance/constitution", as: .observer, forum: forum, app: app)
            let before = try await Self.send(
                .GET, "/governance/constitution?on=2026-03-31", as: .observer, forum: forum, app: app)
            let badDay = try await Self.send(
                .GET, "/governance/constitution?on=2026-02-30", as: .observer, forum: forum, app: app)
            let anonymous = try await Self.send(
                .GET, "/governance/constitution", as: .anonymous, forum: forum, app: app)
            let versions = try await Self.send(
                .GET, "/governance/constitution/versions", as: .handler, forum: forum, app: app)

            // validate
            #expect(none.status == .notFound && none.body.string.contains("adopted no constitution yet"))
            #expect(byHandler.status == .forbidden)
            #expect(refused.status == .unprocessableEntity)
            let problems = try Self.fields(refused)
            #expect(problems["rules.steeringCommittee.seatClasses"] == "8 seats in its classes, not 7")
            #expect(problems["rules.applications.objectionWindowDays"] == "0 is less than 1")
            #expect(unreadable.status.code >= 400 && unreadable.status.code < 500, "\(unreadable.status)")
            #expect(adopted.status == .created, "\(adopted.body.string)")
            #expect(again.status == .conflict && again.body.string.contains("only by a resolution"))
            let read = try today.content.decode(ConstitutionDTO.self)
            #expect(read.version == 1 && read.adoptedBy == "founding" && read.rules == rules)
            #expect(read.text.first?.lines.first?.hasPrefix("full: vote, stand for office") == true)
            #expect(
                read.text.contains {
                    $0.lines.contains("Quorum: at least 1/2 of the voting members, present or represented.")
                })
            #expect(before.status == .notFound && before.body.string.contains("took effect later"))
            #expect(badDay.status == .unprocessableEntity)
            #expect(anonymous.status == .unauthorized)
            #expect(try versions.content.decode([ConstitutionVersionDTO].self).map(\.version) == [1])
            let audit = try await AuditEntry.query(on: app.db).filter(\.$action == "governance.constitution.adopt")
                .all()
            #expect(audit.count == 1)
        }
    }

    @Test func concurrentAdoptionsLeaveOneVersion() async throws {
        try await withApp(sqliteFile: true) { app in
            // setup
            let forum = try await TestForum.seed(app)
            app.clock = FixedClock(Self.december)
            let body = try Self.json(Constitution.seedsForum(effectiveOn: "2003-02-01"))

            // act
            let statuses = try await withThrowingTaskGroup(of: HTTPStatus.self) { group in
                for index in 0..<6 {
                    group.addTask {
                        try await Self.send(
                            .POST, "/governance/constitution", json: body,
                            as: index % 2 == 0 ? .secretariat : .forumAdmin, forum: forum, app: app
                        ).status
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }

            // validate
            #expect(statuses.filter { $0 == .created }.count == 1, "\(statuses)")
            #expect(statuses.filter { $0 == .conflict }.count == 5, "\(statuses)")
            #expect(try await ConstitutionVersion.query(on: app.db).count() == 1)
        }
    }

    @Test func theOfficesAreReadByDayAndOnTheTeamsPage() async throws {
        try await withApp { app in
            // setup
            let forum = try await TestForum.seed(app)
            app.clock = FixedClock(Self.december)
            let jpcert = try await DirectoryQueries.team(slug: "jpcert-cc", on: app.db)
            let singcert = try await DirectoryQueries.team(slug: "singcert", on: app.db)
            for (office, team, start, end) in [
                ("chair", jpcert, "2025-03-23", "2026-03-22"), ("chair", singcert, "2026-03-23", "2027-03-22"),
                ("deputy-chair", jpcert, "2026-03-23", "2027-03-22"),
            ] {
                try await Offices.record(
                    OfficeTerm(
                        office: office, seatClass: nil, teamID: try team.requireID(),
                        holder: "Head of \(team.shortName)",
                        startsOn: start, endsOn: end, source: "AGM \(start.prefix(4))"),
                    on: app.db)
            }

            // act
            let now = try await Self.send(.GET, "/governance/offices", as: .observer, forum: forum, app: app)
            let then = try await Self.send(
                .GET, "/governance/offices?on=2025-12-01", as: .observer, forum: forum, app: app)
            let history = try await Self.send(
                .GET, "/governance/offices?team=jpcert-cc", as: .observer, forum: forum, app: app)
            let unknown = try await Self.send(
                .GET, "/governance/offices?team=nocert", as: .observer, forum: forum, app: app)
            let session = try await WebSession.start(app, as: .handler)
            let teamPage = try await session.send(.GET, "/teams/jpcert-cc", form: [:], app: app)
            let governancePage = try await session.send(.GET, "/governance", form: [:], app: app)

            // validate
            let holders = try now.content.decode([OfficeTermDTO].self)
            #expect(
                holders.map(\.office) == ["chair", "deputy-chair"] && holders.map(\.team) == ["singcert", "jpcert-cc"])
            #expect(try then.content.decode([OfficeTermDTO].self).map(\.team) == ["jpcert-cc"])
            let terms = try history.content.decode([OfficeTermDTO].self)
            #expect(terms.map(\.startsOn) == ["2026-03-23", "2025-03-23"])
            #expect(unknown.status == .notFound)
            #expect(teamPage.body.string.contains("Chair, 2025-03-23 to 2026-03-22: Head of JPCERT/CC (AGM 2025)"))
            #expect(teamPage.body.string.contains("Deputy Chair, 2026-03-23 to 2027-03-22"))
            let page = governancePage.body.string
            #expect(
                page.contains("Office holders on 2026-12-10")
                    && page.contains(
                        #"<tr class="office-chair"><td>Chair</td><td><a href="/teams/singcert">SingCERT</a>"#)
            )
            #expect(page.contains("The forum has adopted no constitution yet") && !page.contains("id=\"adopt\""))
        }
    }

    @Test func theWebPageAdoptsAndShowsTheRules() async throws {
        try await withApp { app in
            // setup
            _ = try await TestForum.seed(app)
            app.clock = FixedClock(Self.december)
            let session = try await WebSession.start(app, as: .secretariat)

            // act
            let form = try await session.send(.GET, "/governance", form: [:], app: app)
            let garbled = try await session.send(
                .POST, "/governance/constitution", form: ["rules": #"{"effectiveOn": "2026-12-10"}"#], app: app)
            let noCSRF = try await session.send(
                .POST, "/governance/constitution", form: ["rules": "{}"], csrf: "forged", app: app)
            var rules = Constitution.seedsForum(effectiveOn: "2026-12-10")
            rules.generalMeeting.quorum = .twoThirds
            let adopted = try await session.send(
                .POST, "/governance/constitution", form: ["rules": try GovernanceWebController.pretty(rules)], app: app)
            let shown = try await session.send(.GET, "/governance", form: [:], app: app)

            // validate
            #expect(
                form.body.string.contains(#"id="adopt-rules""#)
                    && form.body.string.contains("&quot;effectiveOn&quot; : &quot;2026-12-10&quot;"))
            #expect(garbled.status == .unprocessableEntity)
            #expect(
                garbled.body.string.contains("rules: is not the constitution&#39;s JSON: categories is missing")
                    || garbled.body.string.contains("categories is missing"), "\(garbled.body.string)")
            #expect(noCSRF.status == .forbidden)
            #expect(adopted.status == .seeOther)
            let page = shown.body.string
            #expect(page.contains("The founding constitution is adopted, in force from 2026-12-10."))
            #expect(page.contains("Quorum: at least 2/3 of the voting members, present or represented."))
            #expect(page.contains("version 1, from 2026-12-10") && !page.contains(#"id="adopt""#))
            #expect(try await ConstitutionVersion.query(on: app.db).first()?.constitution == rules)
        }
    }
}
