import ConcordCore
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import ConcordServer

/// The annual report's submissions (issue 18 §2): the secretariat opens a year, a team saves and
/// submits its figures by JSON or CSV, the secretariat accepts or returns them; a bad table is
/// refused whole with every problem named and nothing saved is lost; declared figures stand beside
/// measured ones; reminders go once each; concurrent writers are decided by the database.
@Suite struct ReportSubmissionTests {
    /// 2026-12-10 00:00 UTC.
    static let december = Date(timeIntervalSince1970: 1_796_860_800)
    /// 2027-01-31 00:00 UTC.
    static let deadline = "2027-01-31T00:00:00Z"
    static let deadlineDate = Date(timeIntervalSince1970: 1_801_353_600)

    static func send(
        _ method: HTTPMethod, _ path: String, _ body: Any? = nil, csv: String? = nil, as actor: Actor,
        forum: TestForum, app: Application
    ) async throws -> TestingHTTPResponse {
        var headers = forum.headers(actor)
        var buffer: ByteBuffer?
        if let body {
            headers.contentType = .json
            buffer = ByteBuffer(data: try JSONSerialization.data(withJSONObject: body))
        } else if let csv {
            headers.contentType = HTTPMediaType(type: "text", subType: "csv")
            buffer = ByteBuffer(string: csv)
        }
        return try await app.testing().send(method, "/api/v1\(path)", headers: headers, body: buffer)
    }

    static func open(_ forum: TestForum, app: Application, year: Int = 2026) async throws {
        app.clock = FixedClock(december)
        let response = try await send(
            .POST, "/reporting-years", ["year": year, "deadline": deadline], as: .secretariat, forum: forum, app: app)
        #expect(response.status == .created, "\(response.body.string)")
    }

    /// Twelve months with `total` in March.
    static func months(_ total: Int) -> [Int] { [0, 0, total, 0, 0, 0, 0, 0, 0, 0, 0, 0] }

    static func problems(_ response: TestingHTTPResponse) throws -> [String: String] {
        struct Problem: Decodable { let errors: [ConcordError.FieldError]? }
        let problem = try JSONDecoder().decode(Problem.self, from: Data(response.body.string.utf8))
        return Dictionary((problem.errors ?? []).map { ($0.field, $0.detail) }, uniquingKeysWith: { a, _ in a })
    }

    @Test func aTeamSubmitsByJSONAndTheSecretariatReturnsThenAccepts() async throws {
        try await withApp { app in
            // setup
            let forum = try await TestForum.seed(app)
            try await Self.open(forum, app: app)
            let path = "/reporting-years/2026/submissions/singcert"

            // act
            let again = try await Self.send(
                .POST, "/reporting-years", ["year": 2026, "deadline": Self.deadline], as: .secretariat, forum: forum,
                app: app)
            let byHandler = try await Self.send(
                .POST, "/reporting-years", ["year": 2027, "deadline": Self.deadline], as: .handler, forum: forum,
                app: app)
            let empty = try await Self.send(.POST, "\(path)/submit", as: .handler, forum: forum, app: app)
            let saved = try await Self.send(
                .PUT, path,
                [
                    "version": 0,
                    "counts": [
                        ["category": "information-gathering", "months": Self.months(5)],
                        ["category": "fraud", "months": Self.months(2), "total": 2],
                    ],
                    "alerts": 12, "advisories": 3, "trainings": 4, "events": 1, "about": "SingCERT is …",
                ], as: .handler, forum: forum, app: app)
            let byObserver = try await Self.send(.PUT, path, ["alerts": 1], as: .observer, forum: forum, app: app)
            let byOtherTeam = try await Self.send(.GET, path, as: .teamAdminOther, forum: forum, app: app)
            let submitted = try await Self.send(.POST, "\(path)/submit", as: .handler, forum: forum, app: app)
            let afterSubmit = try await Self.send(.PUT, path, ["alerts": 13], as: .handler, forum: forum, app: app)
            let noComment = try await Self.send(
                .POST, "\(path)/return", ["comment": " "], as: .secretariat, forum: forum, app: app)
            let returned = try await Self.send(
                .POST, "\(path)/return", ["comment": "March looks high: please check."], as: .secretariat,
                forum: forum, app: app)
            let acceptReturned = try await Self.send(.POST, "\(path)/accept", as: .secretariat, forum: forum, app: app)
            let resubmitted = try await Self.send(.POST, "\(path)/submit", as: .handler, forum: forum, app: app)
            let byTeamAdmin = try await Self.send(.POST, "\(path)/accept", as: .teamAdmin, forum: forum, app: app)
            let accepted = try await Self.send(.POST, "\(path)/accept", as: .secretariat, forum: forum, app: app)
            let board = try await Self.send(.GET, "/reporting-years/2026", as: .secretariat, forum: forum, app: app)
            let boardByHandler = try await Self.send(
                .GET, "/reporting-years/2026", as: .handler, forum: forum, app: app)
            let years = try await Self.send(.GET, "/reporting-years", as: .handler, forum: forum, app: app)

            // validate
            #expect(again.status == .conflict && byHandler.status == .forbidden)
            #expect(empty.status == .unprocessableEntity && empty.body.string.contains("counts"))
            #expect(saved.status == .ok, "\(saved.body.string)")
            let draft = try saved.content.decode(SubmissionDTO.self)
            #expect(draft.state == "draft" && draft.version == 1 && draft.counts?.total == 7 && draft.alerts == 12)
            let comparison = try #require(draft.comparison)
            let measured = try await StatisticsAPITests.figures(
                "year=2026&team=singcert", as: .handler, forum: forum, app: app)
            #expect(comparison.total.declared == 7 && comparison.total.measured == measured.total)
            let scans = try #require(comparison.rows.first { $0.category == "information-gathering" })
            #expect(scans.declared == 5 && scans.measured >= 1 && scans.flag == "declared-more")
            #expect(byObserver.status == .forbidden && byOtherTeam.status == .forbidden)
            #expect(try submitted.content.decode(SubmissionDTO.self).state == "submitted")
            #expect(afterSubmit.status == .conflict && afterSubmit.body.string.contains("secretariat"))
            #expect(noComment.status == .unprocessableEntity)
            let back = try returned.content.decode(SubmissionDTO.self)
            #expect(back.state == "returned" && back.returnComment == "March looks high: please check.")
            #expect(acceptReturned.status == .conflict && byTeamAdmin.status == .forbidden)
            #expect(try resubmitted.content.decode(SubmissionDTO.self).returnComment == nil)
            let final = try accepted.content.decode(SubmissionDTO.self)
            #expect(final.state == "accepted" && final.decidedBy == "secretariat@test.example" && !final.late)
            let lines = try board.content.decode(ReportingBoardDTO.self)
            #expect(lines.teams.map(\.team) == ["jpcert-cc", "nuscert", "singcert"])
            #expect(lines.teams.last?.state == "accepted" && lines.teams.last?.declaredTotal == 7)
            #expect(lines.states["not-started"] == 2 && lines.states["accepted"] == 1)
            #expect(boardByHandler.status == .forbidden)
            #expect(try years.content.decode([ReportingYearDTO].self).first?.ownSubmission == "accepted")
            let notices = try await OutboxMessage.query(on: app.db).filter(\.$purpose == "report-notice").all()
            #expect(notices.count == 2, "one for the return, one for the acceptance")
            #expect(notices.allSatisfy { !$0.body.contains("March looks high") }, "the comment is read logged in")
            let audit = try await AuditEntry.query(on: app.db).filter(\.$action ~~ ["report.submit", "report.return"])
                .count()
            #expect(audit == 3)
        }
    }

    @Test func aBadTableIsRefusedWholeWithEveryProblemNamedAndNothingSavedIsLost() async throws {
        try await withApp { app in
            // setup: a good CSV saved first
            let forum = try await TestForum.seed(app)
            try await Self.open(forum, app: app)
            let path = "/reporting-years/2026/submissions/singcert"
            let template = try await Self.send(.GET, "\(path)/template.csv", as: .handler, forum: forum, app: app)
            let header =
                "category," + (1...12).map { String(format: "2026-%02d", $0) }.joined(separator: ",") + ",total"
            let zeros = Array(repeating: "0", count: 11).joined(separator: ",")
            let good = "\(header)\nfraud,4,\(zeros),4\nmalicious-code,1,\(zeros),1\ntotal,5,\(zeros),5\n"
            let saved = try await Self.send(.PUT, "\(path)/counts.csv", csv: good, as: .handler, forum: forum, app: app)

            // act
            let wrongColumns = try await Self.send(
                .PUT, "\(path)/counts.csv", csv: "category,jan,total\nfraud,1,1\n", as: .handler, forum: forum,
                app: app)
            let bad =
                "\(header)\nfraud,-2,\(zeros),-2\nspam-of-ours,1,\(zeros),1\nmalicious-code,1,\(zeros),9\ntotal,6,\(zeros),6\n"
            let refused = try await Self.send(
                .PUT, "\(path)/counts.csv", csv: bad, as: .handler, forum: forum, app: app)
            let badJSON = try await Self.send(
                .PUT, path,
                [
                    "counts": [
                        ["category": "fraud", "months": [1, -1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]],
                        ["category": "fraud", "months": [1, 2]],
                    ]
                ], as: .handler, forum: forum, app: app)
            let badTotals = try await Self.send(
                .PUT, path,
                [
                    "counts": [["category": "fraud", "months": Self.months(2), "total": 3]],
                    "total": ["months": Self.months(4)],
                ], as: .handler, forum: forum, app: app)
            let after = try await Self.send(.GET, path, as: .handler, forum: forum, app: app)

            // validate
            #expect(template.status == .ok && template.body.string.hasPrefix(header + "\r\n"))
            #expect(
                template.body.string.contains("\r\nfraud,0,")
                    && template.body.string.hasSuffix("total,0,\(zeros),0\r\n"))
            #expect(saved.status == .ok, "\(saved.body.string)")
            #expect(wrongColumns.status == .unprocessableEntity)
            #expect(try Self.problems(wrongColumns)["row 1"]?.contains("download the template") == true)
            #expect(refused.status == .unprocessableEntity)
            let named = try Self.problems(refused)
            #expect(named["row 2, column 2026-01"]?.contains("'-2' is not a count") == true, "\(named)")
            #expect(named["row 2, column total"]?.contains("not a count") == true)
            #expect(named["row 3, column category"]?.contains("'spam-of-ours' is not a known category") == true)
            #expect(named["row 4, column total"] == "9 is not the months' sum 1")
            #expect(named.count >= 4)
            let json = try Self.problems(badJSON)
            #expect(json["counts[1].months"] == "has 2 counts where a year has 12", "\(json)")
            let totals = try Self.problems(badTotals)
            #expect(totals["counts[0].total"] == "3 is not the months' sum 2", "\(totals)")
            #expect(totals["total.months[2]"] == "4 is not the categories' sum 2")
            let kept = try after.content.decode(SubmissionDTO.self)
            #expect(kept.counts?.total == 5 && kept.version == 1 && kept.state == "draft")
        }
    }

    @Test func aTeamsOwnCategoriesMapToRSITAndOtherIsWarnedAbove10Percent() async throws {
        try await withApp { app in
            // setup
            let forum = try await TestForum.seed(app)
            try await Self.open(forum, app: app)
            let path = "/reporting-years/2026/submissions/singcert"

            // act
            let badMapping = try await Self.send(
                .PUT, "/teams/singcert/category-mapping", ["mapping": ["Spam": "no-such-thing", "fraud": "fraud"]],
                as: .handler, forum: forum, app: app)
            let mapped = try await Self.send(
                .PUT, "/teams/singcert/category-mapping",
                ["mapping": ["Spam": "abusive-content/spam", "Defacement": "intrusions"]], as: .handler, forum: forum,
                app: app)
            let byOther = try await Self.send(
                .PUT, "/teams/singcert/category-mapping", ["mapping": ["X": "fraud"]], as: .teamAdminOther,
                forum: forum, app: app)
            let saved = try await Self.send(
                .PUT, path,
                [
                    "counts": [
                        ["category": "Spam", "months": Self.months(6)],
                        ["category": "Defacement", "months": Self.months(2)],
                        ["category": "other", "months": Self.months(2)],
                    ]
                ], as: .handler, forum: forum, app: app)

            // validate
            #expect(badMapping.status == .unprocessableEntity)
            let problems = try Self.problems(badMapping)
            #expect(problems["fraud"]?.contains("needs no mapping") == true, "\(problems)")
            #expect(mapped.status == .ok && byOther.status == .forbidden)
            #expect(try mapped.content.decode(CategoryMappingDTO.self).mapping["Spam"] == "abusive-content")
            let submission = try saved.content.decode(SubmissionDTO.self)
            let comparison = try #require(submission.comparison)
            #expect(comparison.rows.first { $0.category == "abusive-content" }?.declared == 6)
            #expect(comparison.rows.first { $0.category == "intrusions" }?.declared == 2)
            #expect(comparison.otherShare == "20.0 %" && comparison.otherWarning)
            #expect(submission.categoryMapping == ["Spam": "abusive-content", "Defacement": "intrusions"])
        }
    }

    @Test func remindersGo30And7And1DaysBeforeOnceEachToTeamsThatHaveNotSubmitted() async throws {
        try await withApp(sqliteFile: true) { app in
            // setup: SingCERT submits; JPCERT/CC and NUSCERT do not (each with a general address)
            let forum = try await TestForum.seed(app)
            for slug in ["jpcert-cc", "nuscert"] {
                let contact = Contact()
                contact.$team.id = try #require(try await Team.query(on: app.db).filter(\.$slug == slug).first()?.id)
                contact.kind = .generalEmail
                contact.value = "office@\(slug).example"
                contact.availability = .businessHours
                contact.published = true
                try await contact.create(on: app.db)
            }
            try await Self.open(forum, app: app)
            let path = "/reporting-years/2026/submissions/singcert"
            _ = try await Self.send(
                .PUT, path, ["counts": [["category": "fraud", "months": Self.months(1)]]], as: .handler, forum: forum,
                app: app)
            #expect(try await Self.send(.POST, "\(path)/submit", as: .handler, forum: forum, app: app).status == .ok)
            let day = 86_400.0
            let url = "https://concord.test"
            func run(_ daysBefore: Double) async throws -> Int {
                try await SubmissionReminders.runDue(
                    at: Self.deadlineDate.addingTimeInterval(-daysBefore * day), publicURL: url, on: app.db)
            }

            // act
            let early = try await run(40)
            let first = try await run(29.5)
            let repeated = try await run(29)
            let concurrent = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<4 { group.addTask { try await run(6.5) } }
                return try await group.reduce(0, +)
            }
            let last = try await run(0.5)
            let after = try await run(-1)

            // validate
            #expect(early == 0 && first == 2 && repeated == 0, "two teams have not submitted")
            #expect(concurrent == 2, "four instances at once send the 7-day reminders once")
            #expect(last == 2 && after == 0)
            let reminders = try await ReportReminder.query(on: app.db).all()
            #expect(reminders.map(\.daysBefore).sorted() == [1, 1, 7, 7, 30, 30])
            let mail = try await OutboxMessage.query(on: app.db).filter(\.$purpose == "report-notice").all()
            #expect(mail.count == 6)
            #expect(mail.allSatisfy { $0.body.contains("\(url)/reports/2026/submissions/") })
            #expect(mail.contains { $0.subject.contains("due tomorrow") })
            let singcert = try await Team.query(on: app.db).filter(\.$slug == "singcert").first()
            #expect(mail.allSatisfy { $0.$team.id != singcert?.id }, "a team that submitted is not reminded")
            #expect(SubmissionReminders.dueReminder(deadline: Self.deadlineDate, now: Self.december) == nil)
            let twentyDays = Self.deadlineDate.addingTimeInterval(-20 * day)
            #expect(SubmissionReminders.dueReminder(deadline: Self.deadlineDate, now: twentyDays) == 30)
        }
    }

    @Test func concurrentWritersAreDecidedByTheDatabase() async throws {
        try await withApp(sqliteFile: true) { app in
            // setup
            let forum = try await TestForum.seed(app)
            app.clock = FixedClock(Self.december)
            let path = "/reporting-years/2026/submissions/singcert"
            func all(_ count: Int, _ work: @escaping @Sendable (Int) async throws -> HTTPStatus) async throws
                -> [HTTPStatus]
            {
                try await withThrowingTaskGroup(of: HTTPStatus.self) { group in
                    for index in 0..<count { group.addTask { try await work(index) } }
                    return try await group.reduce(into: []) { $0.append($1) }
                }
            }

            // act: six openings of one year; six saves over version 1; six mapping replacements
            let opens = try await all(6) { _ in
                try await Self.send(
                    .POST, "/reporting-years", ["year": 2026, "deadline": Self.deadline], as: .secretariat,
                    forum: forum, app: app
                ).status
            }
            _ = try await Self.send(.PUT, path, ["alerts": 1], as: .handler, forum: forum, app: app)
            let saves = try await all(6) { index in
                try await Self.send(
                    .PUT, path, ["version": 1, "alerts": 10 + index], as: .handler, forum: forum, app: app
                ).status
            }
            let mappings = try await all(6) { index in
                try await Self.send(
                    .PUT, "/teams/singcert/category-mapping",
                    ["mapping": ["Own \(index)": "fraud", "Shared": "other"]],
                    as: .teamAdmin, forum: forum, app: app
                ).status
            }

            // validate
            #expect(opens.filter { $0 == .created }.count == 1 && opens.filter { $0 == .conflict }.count == 5)
            #expect(try await ReportingYear.query(on: app.db).count() == 1)
            #expect(try await ReportSubmission.query(on: app.db).count() == 3, "one per member team, made once")
            #expect(saves.filter { $0 == .ok }.count == 1 && saves.filter { $0 == .conflict }.count == 5)
            let stored = try #require(try await ReportSubmission.query(on: app.db).filter(\.$alerts != nil).first())
            #expect(stored.version == 2 && (10..<16).contains(stored.alerts ?? 0))
            #expect(mappings.allSatisfy { $0 == .ok }, "\(mappings)")
            let rows = try await TeamCategoryMapping.query(on: app.db).all()
            #expect(rows.count == 2 && rows.contains { $0.category == "Shared" }, "one replacement's mapping, whole")
        }
    }
}
