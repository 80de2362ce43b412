import ConcordCore
import ConcordTestTools
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import ConcordServer

/// The annual report's editions (issue 18 §4): built at a TLP and a cut-off into HTML, a PDF
/// printed by headless Chromium, `data.json` and `tables.csv`, whose figures agree with each other
/// and with the database; the public edition leaves the AMBER sections out and never shows an
/// AMBER incident; the same cut-off gives the same JSON; editions are numbered by the database.
@Suite struct ReportEditionTests {
    static let year = "/reporting-years/2026"

    /// The forum with the year open, SingCERT's submission accepted, NUSCERT named in Chinese.
    static func prepare(_ app: Application) async throws -> TestForum {
        let forum = try await TestForum.seed(app)
        try await ReportSubmissionTests.open(forum, app: app)
        let nuscert = try #require(try await Team.query(on: app.db).filter(\.$slug == "nuscert").first())
        nuscert.shortName = "新加坡国立大学CERT"
        try await nuscert.save(on: app.db)
        let path = "\(Self.year)/submissions/singcert"
        let saved = try await ReportSubmissionTests.send(
            .PUT, path,
            [
                "counts": [
                    ["category": "fraud", "months": ReportSubmissionTests.months(9)],
                    ["category": "information-gathering", "months": ReportSubmissionTests.months(4)],
                ],
                "about": "SingCERT coordinates Singapore's response.", "alerts": 31,
            ], as: .handler, forum: forum, app: app)
        #expect(saved.status == .ok, "\(saved.body.string)")
        for (action, actor) in [("submit", Actor.handler), ("accept", .secretariat)] {
            let response = try await ReportSubmissionTests.send(
                .POST, "\(path)/\(action)", as: actor, forum: forum, app: app)
            #expect(response.status == .ok, "\(action): \(response.body.string)")
        }
        let chair = try await ReportSubmissionTests.send(
            .PATCH, Self.year, ["chairMessage": "A year of drills.\n\nThank you all."], as: .secretariat,
            forum: forum, app: app)
        #expect(chair.status == .ok)
        return forum
    }

    static func build(_ tlp: String, cutoff: String? = nil, forum: TestForum, app: Application) async throws
        -> ReportEditionDTO
    {
        var body: [String: Any] = ["tlp": tlp]
        if let cutoff { body["cutoff"] = cutoff }
        let response = try await ReportSubmissionTests.send(
            .POST, "\(Self.year)/editions", body, as: .secretariat, forum: forum, app: app)
        #expect(response.status == .created, "\(response.body.string)")
        return try response.content.decode(ReportEditionDTO.self)
    }

    static func file(_ edition: ReportEditionDTO, _ name: String, forum: TestForum, app: Application) async throws
        -> Data
    {
        let response = try await ReportSubmissionTests.send(
            .GET, edition.files[name] ?? "", as: .observer, forum: forum, app: app)
        #expect(response.status == .ok, "\(name): \(response.status)")
        return Data(buffer: response.body)
    }

    static func annex(_ data: Data) throws -> AnnualReportData {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try decoder.decode(AnnualReportData.self, from: data)
    }

    static func run(_ tool: String, _ arguments: [String]) async throws -> String {
        let output = try await ProcessRunner.run(tool, arguments: arguments)
        #expect(output.status == 0, "\(tool): \(output.stderr)")
        return output.stdout
    }

    @Test(.needs(.chromium)) func theMembersEditionIsHTMLAndAPrintedPDFAndDataThatAgree() async throws {
        try await withApp { app in
            // setup
            let forum = try await Self.prepare(app)

            // act
            let edition = try await Self.build("amber", forum: forum, app: app)
            let pdf = try await Self.file(edition, "report.pdf", forum: forum, app: app)
            let html = String(
                decoding: try await Self.file(edition, "report.html", forum: forum, app: app), as: UTF8.self)
            let data = try Self.annex(try await Self.file(edition, "data.json", forum: forum, app: app))
            let csv = String(
                decoding: try await Self.file(edition, "tables.csv", forum: forum, app: app), as: UTF8.self)
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("report-\(UUID())")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: directory) }
            let pdfPath = directory.appendingPathComponent("report.pdf").path
            try pdf.write(to: URL(fileURLWithPath: pdfPath))
            let text = try await Self.run("pdftotext", ["-layout", pdfPath, "-"])
            let fonts = try await Self.run("pdffonts", [pdfPath])

            // validate: the PDF holds every member, the measured figures, the TLP on every page
            #expect(edition.number == 1 && edition.tlp == "TLP:AMBER" && edition.inputsSHA256.count == 64)
            #expect(pdf.starts(with: Data("%PDF".utf8)))
            let flat = text.replacingOccurrences(of: "\n", with: " ")
            for name in ["JPCERT/CC", "SingCERT", "新加坡国立大学CERT"] {
                #expect(flat.contains(name), "\(name) is not in the PDF")
            }
            let measured = try #require(data.measured)
            #expect(flat.contains("Reports received") && flat.contains("What Concord measured"))
            #expect(flat.contains(Figures.grouped(measured.counters.incidents)))
            let pages = text.components(separatedBy: "\u{0C}").filter {
                !$0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
            }
            #expect(pages.count > 3 && pages.allSatisfy { $0.contains("TLP:AMBER") }, "the TLP on every page's footer")
            let fontLines = fonts.split(separator: "\n").dropFirst(2)
            #expect(!fontLines.isEmpty && fontLines.allSatisfy { $0.split(separator: " ").contains("yes") })
            #expect(
                fontLines.allSatisfy { line in
                    // name type encoding emb sub uni object ID: "emb" is the first yes/no column
                    let columns = line.split(separator: " ", omittingEmptySubsequences: true)
                    return columns.count >= 7 && columns[columns.count - 5] == "yes"
                }, "every font embedded:\n\(fonts)")
            // the annex equals the figures the HTML shows, and the database's
            let direct = try await StatisticsAPITests.figures("year=2026", as: .secretariat, forum: forum, app: app)
            #expect(measured.counters.incidents == direct.counters.incidents, "no AMBER+STRICT or RED in the tests")
            for row in measured.byTaxonomy where row.total > 0 {
                #expect(html.contains("<td>\(row.label)</td><td>\(Figures.grouped(row.total))</td>"), "\(row.label)")
                #expect(csv.contains("measured,byTaxonomy,\(row.taxonomy),total,\(row.total)\r\n"))
            }
            let singcert = try #require(data.teams?.first { $0.team == "singcert" })
            #expect(singcert.submitted && singcert.total == 13 && singcert.alerts == 31)
            #expect(data.teams?.first { $0.team == "nuscert" }?.submitted == false)
            #expect(html.contains("No submission was accepted by the cut-off."))
            #expect(data.comparisons?.first?.declared == 13 && data.teamTimes?.count == 3)
            #expect(data.chair?.paragraphs == ["A year of drills.", "Thank you all."])
            #expect(data.contents.allSatisfy { $0.included }, "the members' edition holds every section")
            #expect(html.contains("id=\"forum-taxonomy-title\"") && html.contains("<desc id=\"forum-months-desc\">"))
            #expect(csv.hasPrefix("section,table,row,column,value\r\n"))
        }
    }

    @Test(.needs(.chromium)) func thePublicEditionLeavesOutAmberAndNeverShowsAnAmberIncident() async throws {
        try await withApp { app in
            // setup: an AMBER incident of NUSCERT's with a title to look for
            let forum = try await Self.prepare(app)
            app.clock = FixedClock(ReportSubmissionTests.december.addingTimeInterval(-3600))
            let reported = try await IncidentTests.report(
                [
                    "title": .init("Zebra-7 breach at the university"),
                    "classification": .init("intrusions/system-compromise"),
                    "tlp": .init("TLP:AMBER"), "observables": .init([["value": "198.51.100.113"]]),
                ], as: .handler, forum: forum, app: app)
            #expect(reported.status == .created)
            app.clock = FixedClock(ReportSubmissionTests.december)

            // act
            let members = try await Self.build("amber", forum: forum, app: app)
            let publicEdition = try await Self.build("clear", forum: forum, app: app)
            var files: [String: String] = [:]
            for name in ["report.html", "data.json", "tables.csv"] {
                files[name] = String(
                    decoding: try await Self.file(publicEdition, name, forum: forum, app: app), as: UTF8.self)
            }
            let publicData = try Self.annex(Data((files["data.json"] ?? "").utf8))
            let membersData = try Self.annex(try await Self.file(members, "data.json", forum: forum, app: app))

            // validate
            for (name, text) in files {
                #expect(!text.contains("Zebra-7"), "\(name)")
                #expect(!text.contains("TLP:AMBER</p>") && !text.contains("id=\"team-times\""), "\(name)")
            }
            #expect(publicData.meta.tlp == "TLP:CLEAR" && publicData.teamTimes == nil && publicData.comparisons == nil)
            #expect(publicData.activities == nil, "TLP:GREEN sections stay with the members")
            let leftOut = publicData.contents.filter { !$0.included }.map(\.id)
            #expect(leftOut == ["activities", "team-times", "comparisons"])
            #expect(files["report.html"]?.contains("left out of this edition (TLP:AMBER)") == true)
            let counted = try #require(publicData.measured?.counters.incidents)
            #expect(
                membersData.measured?.counters.incidents == counted + 1, "the AMBER incident counts for members only")
            #expect(membersData.measured?.byTaxonomy.first { $0.taxonomy == "intrusions" }?.total == 1)
            #expect(publicData.measured?.byTaxonomy.first { $0.taxonomy == "intrusions" }?.total == 0)
        }
    }

    @Test func editionsAtOnceAreNumberedByTheDatabaseAndTheSameCutoffGivesTheSameJSON() async throws {
        try await withApp(sqliteFile: true) { app in
            // setup: a printer that records (the PDF itself is the other tests')
            let forum = try await Self.prepare(app)
            app.reportPrinter = TextPrinter()
            let cutoff = "2026-12-09T00:00:00Z"

            // act
            let editions = try await withThrowingTaskGroup(of: ReportEditionDTO.self) { group in
                for _ in 0..<3 {
                    group.addTask { try await Self.build("amber", cutoff: cutoff, forum: forum, app: app) }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            var jsons: [Data] = []
            for edition in editions { jsons.append(try await Self.file(edition, "data.json", forum: forum, app: app)) }
            let later = try await ReportSubmissionTests.send(
                .POST, "\(Self.year)/editions", ["tlp": "amber", "cutoff": "2030-01-01T00:00:00Z"], as: .secretariat,
                forum: forum, app: app)
            let wrongLabel = try await ReportSubmissionTests.send(
                .POST, "\(Self.year)/editions", ["tlp": "red"], as: .secretariat, forum: forum, app: app)
            let byHandler = try await ReportSubmissionTests.send(
                .POST, "\(Self.year)/editions", ["tlp": "amber"], as: .handler, forum: forum, app: app)
            let listed = try await ReportSubmissionTests.send(
                .GET, "\(Self.year)/editions", as: .observer, forum: forum, app: app)
            let unknown = try await ReportSubmissionTests.send(
                .GET, "\(Self.year)/editions/9/report.pdf", as: .observer, forum: forum, app: app)
            let html = try await ReportSubmissionTests.send(
                .GET, "\(Self.year)/editions/1/report.html", as: .observer, forum: forum, app: app)

            // validate
            #expect(Set(editions.map(\.number)) == [1, 2, 3])
            #expect(Set(jsons).count == 1, "byte-identical JSON for the same cut-off")
            #expect(Set(editions.map(\.inputsSHA256)).count == 1)
            #expect(later.status == .unprocessableEntity && wrongLabel.status == .unprocessableEntity)
            #expect(byHandler.status == .forbidden && unknown.status == .notFound)
            #expect(try listed.content.decode([ReportEditionDTO].self).map(\.number) == [3, 2, 1])
            let policy = html.headers.first(name: "Content-Security-Policy") ?? ""
            #expect(policy.hasPrefix("default-src 'none'; style-src 'sha256-"), "\(policy)")
            #expect(try await ReportEdition.query(on: app.db).count() == 3)
            #expect(try await AuditEntry.query(on: app.db).filter(\.$action == "report.edition").count() == 3)
        }
    }

    @Test func withoutChromiumTheBuildIsRefusedClearlyAndNothingIsKept() async throws {
        let noBrowser: (inout ConcordConfiguration) -> Void = { $0.chromiumPath = "no-such-chromium" }
        try await withApp(adjust: noBrowser) { app in
            // setup
            let forum = try await Self.prepare(app)

            // act
            let response = try await ReportSubmissionTests.send(
                .POST, "\(Self.year)/editions", ["tlp": "clear"], as: .secretariat, forum: forum, app: app)

            // validate
            #expect(response.status == .serviceUnavailable)
            #expect(response.body.string.contains("install Debian's chromium, or set CONCORD_CHROMIUM"))
            #expect(try await ReportEdition.query(on: app.db).count() == 0)
        }
    }
}

extension ReportEditionTests {
    @Test func theSecretariatBuildsFromThePageAndMembersDownload() async throws {
        try await withApp { app in
            // setup
            _ = try await Self.prepare(app)
            app.reportPrinter = TextPrinter()
            let secretariat = try await WebSession.start(app, as: .secretariat)
            let observer = try await WebSession.start(app, as: .observer)

            // act
            let wrong = try await secretariat.send(.POST, "/reports/2026/editions", form: ["tlp": "green"], app: app)
            let built = try await secretariat.send(
                .POST, "/reports/2026/editions", form: ["tlp": "clear", "cutoff": "2026-12-08"], app: app)
            let page = try await observer.send(.GET, "/reports/2026/editions", form: [:], app: app)
            let pdf = try await observer.send(.GET, "/reports/2026/editions/1/report.pdf", form: [:], app: app)
            let preview = try await secretariat.send(.GET, "/reports/2026/preview?tlp=clear", form: [:], app: app)
            let previewByObserver = try await observer.send(.GET, "/reports/2026/preview", form: [:], app: app)

            // validate
            #expect(wrong.status == .unprocessableEntity && wrong.body.string.contains("no edition label"))
            #expect(built.status == .seeOther && built.headers.first(name: .location) == "/reports/2026/editions")
            #expect(page.body.string.contains("id=\"edition-1\"") && page.body.string.contains("TLP:CLEAR"))
            #expect(!page.body.string.contains("id=\"build-button\""), "an observer builds nothing")
            #expect(pdf.status == .ok && pdf.body.string.hasPrefix("%PDF"))
            #expect(pdf.headers.contentDisposition?.value == .attachment)
            #expect(preview.status == .ok && preview.body.string.contains("Preview (not an edition)"))
            #expect(preview.headers.first(name: "Content-Security-Policy")?.contains("style-src 'sha256-") == true)
            #expect(previewByObserver.status == .forbidden)
            let edition = try #require(try await ReportEdition.query(on: app.db).first())
            #expect(ISODate.string(edition.cutoff) == "2026-12-08" && edition.tlp == "TLP:CLEAR")
        }
    }
}

/// A printer that "prints" the HTML's length, for tests about numbering and data.
struct TextPrinter: ReportPrinter {
    func pdf(html: String) async throws -> Data { Data("%PDF-text \(html.utf8.count)".utf8) }
}
