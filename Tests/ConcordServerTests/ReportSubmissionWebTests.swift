import ConcordCore
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import ConcordServer

/// The annual report's pages (issue 18 §2): the secretariat opens a year from a form and reads the
/// status board; a team fills the counts grid (a wrong cell named, the input kept, nothing lost),
/// uploads the CSV template, maps its own categories and submits; the secretariat returns it with a
/// comment and accepts it.
@Suite struct ReportSubmissionWebTests {
    static let page = "/reports/2026/submissions/singcert"

    @Test func theSecretariatOpensAYearAndATeamFillsTheFormAndSubmits() async throws {
        try await withApp { app in
            // setup
            _ = try await TestForum.seed(app)
            app.clock = FixedClock(ReportSubmissionTests.december)
            let secretariat = try await WebSession.start(app, as: .secretariat)
            let handler = try await WebSession.start(app, as: .handler)

            // act: open (a date in the past first), then the team's grid with a wrong cell, then right
            let past = try await secretariat.send(
                .POST, "/reports", form: ["year": "2026", "deadline": "2026-01-31"], app: app)
            let opened = try await secretariat.send(
                .POST, "/reports", form: ["year": "2026", "deadline": "2027-01-31"], app: app)
            let board = try await secretariat.send(.GET, "/reports/2026", form: [:], app: app)
            let handlerBoard = try await handler.send(.GET, "/reports/2026", form: [:], app: app)
            let empty = try await handler.send(.GET, Self.page, form: [:], app: app)
            var grid = [
                "category-0": "fraud", "n-0-2": "4", "category-1": "malicious-code", "n-1-2": "x", "alerts": "7",
            ]
            let wrong = try await handler.send(.POST, Self.page, form: grid, app: app)
            grid["n-1-2"] = "2"
            grid["about"] = "SingCERT is Singapore's national CERT."
            grid["action"] = "submit"
            grid["version"] = "0"
            let submitted = try await handler.send(.POST, Self.page, form: grid, app: app)
            let after = try await handler.send(.GET, Self.page, form: [:], app: app)
            let years = try await handler.send(.GET, "/reports", form: [:], app: app)

            // validate
            #expect(past.status == .unprocessableEntity && past.body.string.contains("must be in the future"))
            #expect(opened.status == .seeOther && opened.headers.first(name: .location) == "/reports/2026")
            let stored = try #require(try await ReportingYear.query(on: app.db).first())
            #expect(ISODate.string(stored.deadline) == "2027-01-31", "the end of the day, UTC")
            #expect(
                board.status == .ok && board.body.string.contains("id=\"board-singcert\" data-state=\"not-started\""))
            #expect(handlerBoard.status == .seeOther && handlerBoard.headers.first(name: .location) == Self.page)
            #expect(empty.status == .ok && empty.body.string.contains("name=\"category-0\" value=\"abusive-content\""))
            #expect(wrong.status == .unprocessableEntity)
            #expect(
                wrong.body.string.contains("Category &#39;malicious-code&#39;, 2026-03: &#39;x&#39; is not a count"))
            #expect(wrong.body.string.contains("name=\"n-1-2\" value=\"x\""), "the input is kept")
            // (nothing of the wrong post was saved: one save and one submit make version 2, below)
            #expect(submitted.status == .seeOther, "\(submitted.body.string.prefix(600))")
            let row = try #require(try await ReportSubmission.query(on: app.db).filter(\.$counts != nil).first())
            #expect(row.submissionState == .submitted && row.table?.total == 6 && row.alerts == 7 && row.version == 2)
            #expect(after.body.string.contains("id=\"submission-state\">submitted"))
            #expect(!after.body.string.contains("id=\"save-draft\""), "a submitted one is no longer a form")
            #expect(after.body.string.contains("id=\"comparison\""))
            #expect(years.body.string.contains("state-submitted"))
        }
    }

    @Test func aTeamUploadsTheCSVAndMapsItsCategoriesAndTheSecretariatDecides() async throws {
        try await withApp { app in
            // setup
            let forum = try await TestForum.seed(app)
            try await ReportSubmissionTests.open(forum, app: app)
            let secretariat = try await WebSession.start(app, as: .secretariat)
            let handler = try await WebSession.start(app, as: .handler)
            let template = try await handler.send(.GET, "\(Self.page)/template.csv", form: [:], app: app)
            let csv = String(buffer: template.body)
            let header = csv.components(separatedBy: "\r\n")[0]
            let zeros = Array(repeating: "0", count: 11).joined(separator: ",")

            // act
            let mapping = try await handler.send(
                .POST, "\(Self.page)/categories", form: ["mapping": "Defacement = intrusions\nnonsense"], app: app)
            let mapped = try await handler.send(
                .POST, "\(Self.page)/categories", form: ["mapping": "Defacement = intrusions"], app: app)
            let badFile = try await handler.upload(
                "\(Self.page)/upload", field: "file", filename: "counts.csv",
                data: Data("\(header)\r\nDefacement,3,\(zeros),4\r\ntotal,3,\(zeros),3\r\n".utf8), app: app)
            let goodFile = try await handler.upload(
                "\(Self.page)/upload", field: "file", filename: "counts.csv",
                data: Data("\(header)\r\nDefacement,3,\(zeros),3\r\ntotal,3,\(zeros),3\r\n".utf8), app: app)
            let submit = try await handler.send(
                .POST, Self.page, form: ["category-0": "Defacement", "n-0-0": "3", "action": "submit"], app: app)
            let noComment = try await secretariat.send(.POST, "\(Self.page)/return", form: ["comment": ""], app: app)
            let returned = try await secretariat.send(
                .POST, "\(Self.page)/return", form: ["comment": "Please add your trainings."], app: app)
            let seen = try await handler.send(.GET, Self.page, form: [:], app: app)
            let again = try await handler.send(
                .POST, Self.page,
                form: ["category-0": "Defacement", "n-0-0": "3", "trainings": "2", "action": "submit"], app: app)
            let accepted = try await secretariat.send(.POST, "\(Self.page)/accept", form: [:], app: app)
            let final = try await secretariat.send(.GET, Self.page, form: [:], app: app)

            // validate
            #expect(template.headers.contentType?.subType == "csv" && header.hasPrefix("category,2026-01"))
            #expect(mapping.status == .unprocessableEntity && mapping.body.string.contains("line 2"))
            #expect(mapped.status == .seeOther)
            #expect(badFile.status == .unprocessableEntity)
            #expect(badFile.body.string.contains("row 2, column total: 4 is not the months&#39; sum 3"))
            #expect(goodFile.status == .seeOther, "\(goodFile.body.string.prefix(500))")
            #expect(submit.status == .seeOther)
            #expect(noComment.status == .unprocessableEntity)
            #expect(returned.status == .seeOther)
            #expect(
                seen.body.string.contains("Please add your trainings.")
                    && seen.body.string.contains("id=\"save-draft\""))
            #expect(again.status == .seeOther)
            #expect(accepted.status == .seeOther)
            #expect(final.body.string.contains("id=\"submission-state\">accepted"))
            #expect(
                !final.body.string.contains("id=\"accept-button\"")
                    && final.body.string.contains("id=\"return-button\""))
            let row = try #require(try await ReportSubmission.query(on: app.db).filter(\.$counts != nil).first())
            #expect(row.trainings == 2 && row.table?.categories == ["Defacement"])
        }
    }
}
