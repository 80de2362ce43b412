import ArgumentParser
import ConcordCore
import ConcordServer
import Foundation
import NIOHTTP1

/// `concord report …`: the annual report's reporting years and submissions, through the API
/// (`/api/v1/reporting-years`), as the web pages do them.
struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "The annual report: reporting years and the teams' submissions (through the API).",
        subcommands: [
            ReportOpen.self, ReportStatus.self, ReportSubmit.self, ReportTemplate.self, ReportAccept.self,
            ReportReturn.self, ReportBuild.self,
        ])
}

/// `concord report open 2026 --deadline 2027-01-31`.
struct ReportOpen: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "open", abstract: "Open a reporting year; every member team then owes a submission.")

    @OptionGroup var api: APIOptions
    @Argument(help: "The year (the year its period starts in).") var year: Int
    @Option(help: "Teams submit by the end of this day, UTC (YYYY-MM-DD).") var deadline: String
    @Option(help: "1 for the calendar year (default), 4 for April to March, …") var startMonth: Int?

    func run() async throws {
        guard let last = CivilDate(deadline)?.lastSecond else {
            throw ValidationError("--deadline: '\(deadline)' is not a date as YYYY-MM-DD")
        }
        let input = OpenReportingYearInput(
            year: year, startMonth: startMonth, deadline: Date(timeIntervalSince1970: TimeInterval(last)))
        let opened = try await api.client().post("/reporting-years", input, as: ReportingYearDTO.self)
        print("opened \(opened.period): submissions due \(opened.deadline.formatted(.iso8601))")
    }
}

/// `concord report status 2026`: the status board.
struct ReportStatus: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status", abstract: "Where every member team's submission stands.")

    @OptionGroup var api: APIOptions
    @Argument var year: Int

    func run() async throws {
        let board = try await api.client().get("/reporting-years/\(year)", as: ReportingBoardDTO.self)
        print("\(board.year.period): due \(board.year.deadline.formatted(.iso8601))")
        for line in board.teams {
            let name = line.name.padding(toLength: 24, withPad: " ", startingAt: 0)
            let state = line.state.padding(toLength: 12, withPad: " ", startingAt: 0)
            let total = line.declaredTotal.map { "\(Figures.grouped($0)) incidents declared" } ?? ""
            print("  \(name)\(state)\(line.late ? "late  " : "      ")\(total)")
        }
        print(
            SubmissionState.allCases.map { "\($0): \(board.states[$0.rawValue] ?? 0)" }.joined(separator: ", "))
    }
}

/// `concord report submit 2026 --team singcert --csv counts.csv`.
struct ReportSubmit: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "submit",
        abstract: "Save a team's counts (the CSV template filled in, or the API's JSON) and submit them.")

    @OptionGroup var api: APIOptions
    @Argument var year: Int
    @Option(help: "The team (its slug).") var team: String
    @Option(help: "The CSV template filled in.") var csv: String?
    @Option(help: "A JSON body as PUT /api/v1/reporting-years/{year}/submissions/{team} takes it.") var json: String?
    @Flag(help: "Save a draft only; do not submit.") var draft = false

    func run() async throws {
        let client = try api.client()
        let path = "/reporting-years/\(year)/submissions/\(team)"
        var saved: SubmissionDTO?
        if let csv {
            let data = try Self.read(csv)
            saved = try await client.send(
                .PUT, "\(path)/counts.csv", body: data, contentType: "text/csv", as: SubmissionDTO.self)
        }
        if let json {
            saved = try await client.send(.PUT, path, body: try Self.read(json), as: SubmissionDTO.self)
        }
        if let saved { print("saved: \(saved.counts.map { Figures.grouped($0.total) } ?? "no") incidents declared") }
        guard !draft else { return }
        let submitted = try await client.send(.POST, "\(path)/submit", body: nil, as: SubmissionDTO.self)
        print("\(submitted.teamName): \(submitted.state)\(submitted.late ? " (late)" : "")")
    }

    static func read(_ path: String) throws -> Data {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ValidationError("cannot read \(path)")
        }
        return data
    }
}

/// `concord report template 2026 --team singcert > counts.csv`.
struct ReportTemplate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "template", abstract: "Print a team's CSV template (its saved counts, else zeros).")

    @OptionGroup var api: APIOptions
    @Argument var year: Int
    @Option(help: "The team (its slug).") var team: String

    func run() async throws {
        let data = try await api.client().raw("/reporting-years/\(year)/submissions/\(team)/template.csv")
        FileHandle.standardOutput.write(data)
    }
}

/// `concord report accept 2026 singcert`.
struct ReportAccept: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "accept", abstract: "Accept a submitted submission for the report (the secretariat).")

    @OptionGroup var api: APIOptions
    @Argument var year: Int
    @Argument var team: String

    func run() async throws {
        let accepted = try await api.client().send(
            .POST, "/reporting-years/\(year)/submissions/\(team)/accept", body: nil, as: SubmissionDTO.self)
        print("\(accepted.teamName): \(accepted.state)")
    }
}

/// `concord report return 2026 singcert --comment "…"`.
struct ReportReturn: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "return", abstract: "Return a submission to its team with a comment (the secretariat).")

    @OptionGroup var api: APIOptions
    @Argument var year: Int
    @Argument var team: String
    @Option(help: "What the team should change.") var comment: String

    func run() async throws {
        let body = try JSONEncoder().encode(["comment": comment])
        let returned = try await api.client().send(
            .POST, "/reporting-years/\(year)/submissions/\(team)/return", body: body, as: SubmissionDTO.self)
        print("\(returned.teamName): \(returned.state)")
    }
}

/// `concord report build 2026 --tlp clear --out DIR`: builds an edition on the server and writes
/// `report.html`, `report.pdf`, `data.json` and `tables.csv` into DIR, a line per stage.
struct ReportBuild: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "build",
        abstract: "Build an edition of the annual report and write report.html, report.pdf, data.json and tables.csv.")

    @OptionGroup var api: APIOptions
    @Argument var year: Int
    @Option(help: "clear (the public edition) or amber (the members'; the default).") var tlp = "amber"
    @Option(help: "The data's cut-off, YYYY-MM-DD (the end of that day, UTC; default now).") var cutoff: String?
    @Option(help: "The directory to write the files into (made if missing).") var out: String

    func run() async throws {
        var cut: Date?
        if let cutoff {
            guard let last = CivilDate(cutoff)?.lastSecond else {
                throw ValidationError("--cutoff: '\(cutoff)' is not a date as YYYY-MM-DD")
            }
            cut = min(Date(timeIntervalSince1970: TimeInterval(last)), Date())
        }
        let directory = URL(fileURLWithPath: out, isDirectory: true)
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw ValidationError("--out: cannot make \(out): \(error.localizedDescription)")
        }
        let client = try api.client()
        let started = Date()
        Self.say("building the \(year) edition at TLP:\(tlp.uppercased()): figures, HTML, PDF …")
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        let edition = try await client.send(
            .POST, "/reporting-years/\(year)/editions",
            body: try encoder.encode(BuildEditionInput(tlp: tlp, cutoff: cut)),
            as: ReportEditionDTO.self)
        Self.say(
            "edition \(edition.number) built in \(Int(Date().timeIntervalSince(started).rounded())) s "
                + "(\(edition.tlp), cut-off \(edition.cutoff.formatted(.iso8601)), inputs \(edition.inputsSHA256.prefix(16))…)"
        )
        for name in ["report.html", "report.pdf", "data.json", "tables.csv"] {
            guard let path = edition.files[name] else { continue }
            let data = try await client.raw(path)
            let target = directory.appendingPathComponent(name)
            try data.write(to: target)
            Self.say("wrote \(target.path) (\(Figures.grouped(data.count)) bytes)")
        }
    }

    /// A progress line on standard error (standard output stays for data).
    static func say(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}
