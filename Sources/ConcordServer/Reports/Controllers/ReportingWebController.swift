import ConcordCore
import Fluent
import Vapor

/// `/reports`: the annual report's reporting years in the browser (issue 18 §2 and §4): the list
/// and the secretariat's form to open a year; the status board with the chair's message; each
/// team's submission form (the counts grid, the CSV template and upload, the figures and texts,
/// the declared figures beside the measured ones, the secretariat's Accept and Return). Through
/// `ReportingYears` and `Submissions`, as the API and the command line.
struct ReportingWebController: RouteCollection {
    typealias P = Paths.Reports

    struct OpenForm: Content {
        var year: String?
        var startMonth: String?
        var deadline: String?
    }

    struct YearForm: Content {
        var deadline: String?
        var chairMessage: String?
    }

    struct ReturnForm: Content {
        var comment: String?
    }

    struct BuildForm: Content {
        var tlp: String?
        var cutoff: String?
    }

    struct EditionLine: Encodable {
        let number: Int
        let tlp: String
        let tlpClass: String
        let cutoff: String
        let madeAt: String
        let madeBy: String
        let inputsSHA256: String
    }

    struct EditionsPage: Encodable {
        let viewer: WebViewer
        let csrf: String
        let year: Int
        let period: String
        let editions: [EditionLine]
        let manages: Bool
        let flash: String?
        let errors: [ConcordError.FieldError]
    }

    struct MappingForm: Content {
        var mapping: String?
    }

    struct UploadForm: Content {
        var file: File?
        var version: String?
    }

    struct YearLine: Encodable {
        let year: Int
        let period: String
        let deadline: String
        let own: String?
        let ownLabel: String?
    }

    struct ListPage: Encodable {
        let viewer: WebViewer
        let csrf: String
        let years: [YearLine]
        let manages: Bool
        let teamSlug: String
        let errors: [ConcordError.FieldError]
        let form: OpenForm
        let nextYear: Int
    }

    struct BoardLine: Encodable {
        let team: String
        let name: String
        let economy: String
        let state: String
        let stateLabel: String
        let submitted: String
        let late: Bool
        let declaredTotal: String
    }

    struct BoardPage: Encodable {
        let viewer: WebViewer
        let csrf: String
        let year: Int
        let period: String
        let deadline: String
        let deadlineDay: String
        let chairMessage: String
        let lines: [BoardLine]
        let states: [StateCount]
        let flash: String?
        let errors: [ConcordError.FieldError]
    }

    struct StateCount: Encodable {
        let state: String
        let label: String
        let count: Int
    }

    struct GridRow: Encodable {
        let index: Int
        let category: String
        let cells: [String]
        let total: String
    }

    struct SubmissionPage: Encodable {
        let viewer: WebViewer
        let csrf: String
        let submission: SubmissionDTO
        let stateLabel: String
        let deadline: String
        let grid: [GridRow]
        let monthTotals: [String]
        let grandTotal: String
        let editable: Bool
        let mayEdit: Bool
        let decides: Bool
        let mayAccept: Bool
        let mayReturn: Bool
        let numbers: [NumberField]
        let texts: [TextField]
        let mappingText: String
        let rsit: [String]
        let startMonths: [MonthChoice]
        let flash: String?
        let errors: [ConcordError.FieldError]
        let path: String
    }

    struct NumberField: Encodable {
        let name: String
        let label: String
        let value: String
    }

    struct TextField: Encodable {
        let name: String
        let label: String
        let value: String
    }

    struct MonthChoice: Encodable {
        let value: Int
        let name: String
        let selected: Bool
    }

    static let flashKey = "reports-flash"
    /// Blank rows the grid offers for categories not listed yet.
    static let blankRows = 2

    func boot(routes: any RoutesBuilder) throws {
        let reports = routes.grouped(.constant(P.reports))
        reports.get(use: list)
        reports.post(use: open)
        reports.get(":year", use: board)
        reports.post(":year", use: updateYear)
        let submission = reports.grouped(":year", .constant(P.submissions), ":team")
        submission.get(use: show)
        submission.post(use: save)
        submission.on(.POST, .constant(P.upload), body: .collect(maxSize: "2mb"), use: upload)
        submission.get(.constant(P.template), use: template)
        submission.post(.constant(P.accept), use: accept)
        submission.post(.constant(P.giveBack), use: giveBack)
        submission.post(.constant(P.categories), use: categories)
        let year = reports.grouped(":year")
        year.get(.constant(P.editions), use: editions)
        year.post(.constant(P.editions), use: buildEdition)
        // The downloads and the preview, for a browser's session (the API's answer bearer tokens only).
        year.get(.constant(P.editions), ":number", ":file", use: ReportEditionController.file)
        year.get(.constant(P.preview), use: ReportEditionController.preview)
    }

    // MARK: Editions

    @Sendable func editions(req: Request) async throws -> Response {
        let flash = req.session.data[Self.flashKey]
        if flash != nil { req.session.data[Self.flashKey] = nil }
        return try await renderEditions(req, flash: flash)
    }

    @Sendable func buildEdition(req: Request) async throws -> Response {
        try req.policy.require(.manageReporting)
        let form = try req.content.decode(BuildForm.self)
        do {
            let year = req.parameters.get("year", as: Int.self)
            let cutoff = try Self.day(form.cutoff, field: "cutoff")
            let summary = try await ReportEditions.build(
                year: year, tlp: try ReportEditions.label(form.tlp),
                cutoff: cutoff.map { min($0, req.application.clock.now()) }, caller: req.caller)
            req.session.data[Self.flashKey] =
                "Edition \(summary.number) (\(summary.tlp)) is built: HTML, PDF, data.json and tables.csv below."
            return req.redirect(to: ReportPaths.yearPage(year ?? 0) + "/\(P.editions)", redirectType: .normal)
        } catch let error as ConcordError where [.validation, .unavailable].contains(error.code) {
            return try await renderEditions(
                req, errors: Self.fields(error),
                status: error.code == .validation ? .unprocessableEntity : .serviceUnavailable)
        }
    }

    private func renderEditions(
        _ req: Request, flash: String? = nil, errors: [ConcordError.FieldError] = [], status: HTTPStatus = .ok
    ) async throws -> Response {
        let (year, editions) = try await ReportEditions.list(
            year: req.parameters.get("year", as: Int.self), caller: req.caller)
        let page = EditionsPage(
            viewer: try await req.webViewer(), csrf: req.csrfToken, year: year.year, period: year.period.label,
            editions: editions.map {
                EditionLine(
                    number: $0.number, tlp: $0.tlp,
                    tlpClass: $0.tlp.replacingOccurrences(of: "TLP:", with: "").lowercased(),
                    cutoff: NotificationText.utc($0.cutoff), madeAt: NotificationText.utc($0.madeAt), madeBy: $0.madeBy,
                    inputsSHA256: $0.inputsSHA256)
            }, manages: req.policy.allows(.manageReporting), flash: flash, errors: errors)
        return try await req.view.render("report-editions", page).encodeResponse(status: status, for: req)
    }

    // MARK: The years

    @Sendable func list(req: Request) async throws -> Response {
        try await renderList(req)
    }

    @Sendable func open(req: Request) async throws -> Response {
        try req.policy.require(.manageReporting)
        let form = try req.content.decode(OpenForm.self)
        do {
            let deadline = try Self.day(form.deadline, field: "deadline")
            let year = try await ReportingYears.open(
                year: form.year.flatMap { Int($0.trimmingCharacters(in: .whitespaces)) },
                startMonth: form.startMonth.flatMap { Int($0) }, deadline: deadline, caller: req.caller)
            req.session.data[Self.flashKey] =
                "The reporting year \(year.period.label) is open: every member team owes a submission by "
                + "\(ReportingYears.day(year.deadline)); reminders go 30, 7 and 1 days before."
            return req.redirect(to: ReportPaths.yearPage(year.year), redirectType: .normal)
        } catch let error as ConcordError where error.code == .validation || error.code == .conflict {
            return try await renderList(
                req, errors: Self.fields(error), form: form,
                status: error.code == .conflict ? .conflict : .unprocessableEntity)
        }
    }

    private func renderList(
        _ req: Request, errors: [ConcordError.FieldError] = [], form: OpenForm = OpenForm(), status: HTTPStatus = .ok
    ) async throws -> Response {
        let caller = req.caller
        let principal = try caller.requirePrincipal()
        let years = try await ReportingYears.list(caller: caller)
        let own = try await ReportSubmission.query(on: req.db).filter(\.$team.$id == principal.teamID).all()
        var states: [UUID: SubmissionState] = [:]
        for row in own { states[row.$reportingYear.id] = row.submissionState }
        let team = try await Team.find(principal.teamID, on: req.db)
        var owes = false
        if let team { owes = try await ReportingMembers.includes(team, on: req.db) }
        let lines = years.map { year -> YearLine in
            let state = year.id.flatMap { states[$0] } ?? (owes ? .notStarted : nil)
            return YearLine(
                year: year.year, period: year.period.label, deadline: NotificationText.utc(year.deadline),
                own: state?.rawValue, ownLabel: state?.description)
        }
        let thisYear = Calendar(identifier: .gregorian).dateComponents(in: .gmt, from: caller.clock.now()).year ?? 2026
        let page = ListPage(
            viewer: try await req.webViewer(), csrf: req.csrfToken, years: lines,
            manages: req.policy.allows(.manageReporting), teamSlug: team?.slug ?? "", errors: errors, form: form,
            nextYear: years.contains { $0.year == thisYear } ? thisYear + 1 : thisYear)
        return try await req.view.render("reports", page).encodeResponse(status: status, for: req)
    }

    // MARK: The status board

    @Sendable func board(req: Request) async throws -> Response {
        guard req.policy.allows(.readReportingBoard) else {
            // A team's people go to their own submission.
            let principal = try req.caller.requirePrincipal()
            let year = try await ReportingYears.find(req.parameters.get("year", as: Int.self), on: req.db)
            guard let team = try await Team.find(principal.teamID, on: req.db) else { throw ConcordError.forbidden }
            return req.redirect(to: ReportPaths.submissionPage(year: year.year, team: team.slug), redirectType: .normal)
        }
        let flash = req.session.data[Self.flashKey]
        if flash != nil { req.session.data[Self.flashKey] = nil }
        return try await renderBoard(req, flash: flash)
    }

    @Sendable func updateYear(req: Request) async throws -> Response {
        try req.policy.require(.manageReporting)
        let form = try req.content.decode(YearForm.self)
        do {
            let deadline = try Self.day(form.deadline, field: "deadline")
            let year = try await ReportingYears.update(
                req.parameters.get("year", as: Int.self), deadline: deadline,
                chairMessage: form.chairMessage.map { $0.replacingOccurrences(of: "\r\n", with: "\n") },
                caller: req.caller)
            req.session.data[Self.flashKey] = "Saved."
            return req.redirect(to: ReportPaths.yearPage(year.year), redirectType: .normal)
        } catch let error as ConcordError where error.code == .validation {
            return try await renderBoard(req, errors: Self.fields(error), status: .unprocessableEntity)
        }
    }

    private func renderBoard(
        _ req: Request, flash: String? = nil, errors: [ConcordError.FieldError] = [], status: HTTPStatus = .ok
    ) async throws -> Response {
        let (year, lines) = try await ReportingYears.board(req.parameters.get("year", as: Int.self), caller: req.caller)
        let now = req.application.clock.now()
        let board = lines.map { line in
            BoardLine(
                team: line.team.slug, name: line.team.shortName, economy: line.team.economy.name,
                state: line.state.rawValue, stateLabel: line.state.description,
                submitted: line.submission?.submittedAt.map(NotificationText.utc) ?? "",
                late: line.isLate(now: now),
                declaredTotal: line.submission?.table.map { Figures.grouped($0.total) } ?? "")
        }
        let page = BoardPage(
            viewer: try await req.webViewer(), csrf: req.csrfToken, year: year.year, period: year.period.label,
            deadline: NotificationText.utc(year.deadline), deadlineDay: ReportingYears.day(year.deadline),
            chairMessage: year.chairMessage, lines: board,
            states: SubmissionState.allCases.map { state in
                StateCount(
                    state: state.rawValue, label: state.description, count: lines.filter { $0.state == state }.count)
            }, flash: flash, errors: errors)
        return try await req.view.render("report-year", page).encodeResponse(status: status, for: req)
    }

    // MARK: A submission

    @Sendable func show(req: Request) async throws -> Response {
        let flash = req.session.data[Self.flashKey]
        if flash != nil { req.session.data[Self.flashKey] = nil }
        let found = try await Submissions.find(
            year: req.parameters.get("year", as: Int.self), team: req.parameters.get("team"), caller: req.caller)
        return try await renderSubmission(req, found, flash: flash)
    }

    @Sendable func save(req: Request) async throws -> Response {
        let caller = req.caller
        let found = try await Submissions.find(
            year: req.parameters.get("year", as: Int.self), team: req.parameters.get("team"), caller: caller
        ) { .editSubmission(team: $0) }
        let form = try req.content.decode([String: String].self)
        let startMonth = form["startMonth"].flatMap { Int($0) }
        let period = ReportingController.period(found, startMonth: startMonth)
        let grid = Self.grid(from: form)
        do {
            var draft = Submissions.Draft(startMonth: startMonth, version: form["version"].flatMap { Int($0) })
            draft.table = try Self.table(
                grid, period: period,
                allowed: try await Submissions.allowedCategories(of: found.team.requireID(), on: req.db))
            var problems: [ConcordError.FieldError] = []
            func count(_ name: String) -> Int? {
                let text = (form[name] ?? "").trimmingCharacters(in: .whitespaces)
                guard !text.isEmpty else { return nil }
                guard let value = Int(text), value >= 0 else {
                    problems.append(.init(field: Self.label(name), detail: "'\(text)' is not a count"))
                    return nil
                }
                return value
            }
            draft.alerts = count("alerts")
            draft.advisories = count("advisories")
            draft.trainings = count("trainings")
            draft.events = count("events")
            guard problems.isEmpty else { throw ConcordError.invalid(problems) }
            draft.about = form["about"].map(Self.lines)
            draft.activities = form["activities"].map(Self.lines)
            draft.futurePlans = form["futurePlans"].map(Self.lines)
            var saved = try await Submissions.save(draft, year: found.year.year, team: found.team.slug, caller: caller)
            if form["action"] == "submit" {
                saved = try await Submissions.submit(
                    year: found.year.year, team: found.team.slug, version: saved.submission?.version, caller: caller)
                req.session.data[Self.flashKey] =
                    "Submitted: the secretariat reads it now. It can no longer be changed unless the secretariat returns it."
            } else {
                req.session.data[Self.flashKey] = "Draft saved. Submit it when it is complete."
            }
            return req.redirect(
                to: ReportPaths.submissionPage(year: found.year.year, team: found.team.slug), redirectType: .normal)
        } catch let error as ConcordError where [.validation, .conflict].contains(error.code) {
            return try await renderSubmission(
                req, found, errors: Self.fields(error), posted: (form, grid),
                status: error.code == .conflict ? .conflict : .unprocessableEntity)
        }
    }

    @Sendable func upload(req: Request) async throws -> Response {
        let caller = req.caller
        let found = try await Submissions.find(
            year: req.parameters.get("year", as: Int.self), team: req.parameters.get("team"), caller: caller
        ) { .editSubmission(team: $0) }
        do {
            let form = try req.content.decode(UploadForm.self)
            guard let file = form.file, file.data.readableBytes > 0 else {
                throw ConcordError.invalid(field: "file", "choose the filled-in CSV template")
            }
            var draft = Submissions.Draft()
            draft.table = try SubmissionTables.fromCSV(
                String(buffer: file.data), period: found.period,
                allowed: try await Submissions.allowedCategories(of: found.team.requireID(), on: req.db))
            draft.version = form.version.flatMap { Int($0) }
            _ = try await Submissions.save(draft, year: found.year.year, team: found.team.slug, caller: caller)
            req.session.data[Self.flashKey] = "The counts of \(file.filename) are saved in the draft."
            return req.redirect(
                to: ReportPaths.submissionPage(year: found.year.year, team: found.team.slug), redirectType: .normal)
        } catch let error as ConcordError where [.validation, .conflict].contains(error.code) {
            return try await renderSubmission(
                req, found, errors: Self.fields(error),
                status: error.code == .conflict ? .conflict : .unprocessableEntity)
        }
    }

    @Sendable func template(req: Request) async throws -> Response {
        let found = try await Submissions.find(
            year: req.parameters.get("year", as: Int.self), team: req.parameters.get("team"), caller: req.caller)
        return try await ReportingController.template(found, on: req)
    }

    @Sendable func accept(req: Request) async throws -> Response {
        try req.policy.require(.manageReporting)
        return try await decide(req) { year, team in
            _ = try await Submissions.accept(year: year, team: team, caller: req.caller)
            return "Accepted: its figures and text go into the report. The team was mailed."
        }
    }

    @Sendable func giveBack(req: Request) async throws -> Response {
        try req.policy.require(.manageReporting)
        let comment = try req.content.decode(ReturnForm.self).comment
        return try await decide(req) { year, team in
            _ = try await Submissions.giveBack(year: year, team: team, comment: comment, caller: req.caller)
            return "Returned with your comment. The team was mailed to read it."
        }
    }

    @Sendable func categories(req: Request) async throws -> Response {
        let caller = req.caller
        let found = try await Submissions.find(
            year: req.parameters.get("year", as: Int.self), team: req.parameters.get("team"), caller: caller
        ) { .editSubmission(team: $0) }
        let text = try req.content.decode(MappingForm.self).mapping ?? ""
        do {
            let mapping = try await CategoryMappings.replace(
                try CategoryMappings.parse(lines: text), team: found.team.slug, caller: caller)
            req.session.data[Self.flashKey] =
                "\(mapping.targets.count) own categories mapped to RSIT: they may be used in the table now."
            return req.redirect(
                to: ReportPaths.submissionPage(year: found.year.year, team: found.team.slug) + "#categories",
                redirectType: .normal)
        } catch let error as ConcordError where error.code == .validation {
            return try await renderSubmission(
                req, found, errors: Self.fields(error), mappingText: text, status: .unprocessableEntity)
        }
    }

    private func decide(_ req: Request, _ work: (Int, String) async throws -> String) async throws -> Response {
        let year = req.parameters.get("year", as: Int.self)
        let slug = req.parameters.get("team")
        do {
            req.session.data[Self.flashKey] = try await work(year ?? 0, slug ?? "")
            return req.redirect(
                to: ReportPaths.submissionPage(year: year ?? 0, team: slug ?? ""), redirectType: .normal)
        } catch let error as ConcordError where [.validation, .conflict].contains(error.code) {
            let found = try await Submissions.find(year: year, team: slug, caller: req.caller)
            return try await renderSubmission(
                req, found, errors: Self.fields(error),
                status: error.code == .conflict ? .conflict : .unprocessableEntity)
        }
    }

    private func renderSubmission(
        _ req: Request, _ found: Submissions.Found, flash: String? = nil, errors: [ConcordError.FieldError] = [],
        posted: (form: [String: String], grid: [(String, [String])])? = nil, mappingText: String? = nil,
        status: HTTPStatus = .ok
    ) async throws -> Response {
        let dto = try await SubmissionView.dto(found, caller: req.caller)
        let teamID = try found.team.requireID()
        let mayEdit = req.policy.allows(.editSubmission(team: teamID))
        let decides = req.policy.allows(.manageReporting)
        let state = found.state
        var rows: [(String, [String])]
        if let posted {
            rows = posted.grid
        } else if let counts = dto.counts {
            rows = counts.rows.map { ($0.category, $0.months.map(String.init)) }
        } else {
            rows = SubmissionTables.startingCategories(
                try await CategoryMappings.mapping(of: teamID, on: req.db)
            ).map { ($0, Array(repeating: "0", count: 12)) }
        }
        rows += Array(repeating: ("", Array(repeating: "", count: 12)), count: Self.blankRows)
        let grid = rows.enumerated().map { index, row in
            GridRow(
                index: index, category: row.0, cells: row.1,
                total: row.1.contains { Int($0) == nil && !$0.isEmpty }
                    ? "" : Figures.grouped(row.1.compactMap { Int($0) }.reduce(0, +)))
        }
        let form = posted?.form
        func number(_ name: String, _ value: Int?) -> NumberField {
            NumberField(name: name, label: Self.label(name), value: form?[name] ?? value.map(String.init) ?? "")
        }
        func text(_ name: String, _ value: String) -> TextField {
            TextField(name: name, label: Self.label(name), value: form?[name] ?? value)
        }
        let page = SubmissionPage(
            viewer: try await req.webViewer(), csrf: req.csrfToken, submission: dto, stateLabel: state.description,
            deadline: NotificationText.utc(found.year.deadline), grid: grid,
            monthTotals: dto.counts?.monthTotals.map(Figures.grouped) ?? [],
            grandTotal: dto.counts.map { Figures.grouped($0.total) } ?? "",
            editable: mayEdit && state.after(.save) != nil, mayEdit: mayEdit, decides: decides,
            mayAccept: decides && state.after(.accept) != nil, mayReturn: decides && state.after(.return) != nil,
            numbers: [
                number("alerts", dto.alerts), number("advisories", dto.advisories), number("trainings", dto.trainings),
                number("events", dto.events),
            ],
            texts: [
                text("about", dto.about), text("activities", dto.activities), text("futurePlans", dto.futurePlans),
            ],
            mappingText: mappingText
                ?? dto.categoryMapping.sorted { $0.key < $1.key }.map { "\($0.key) = \($0.value)" }.joined(
                    separator: "\n"),
            rsit: CategoryMapping.reportingCategories,
            startMonths: ReportingPeriod.monthNames.enumerated().map {
                MonthChoice(value: $0.offset + 1, name: $0.element, selected: $0.offset + 1 == dto.startMonth)
            }, flash: flash, errors: errors,
            path: ReportPaths.submissionPage(year: found.year.year, team: found.team.slug))
        let response = try await req.view.render("submission", page).encodeResponse(status: status, for: req)
        return response
    }

    // MARK: Helpers

    /// The grid's rows as posted: `category-N` and `n-N-M` (month M of row N); blank rows dropped.
    static func grid(from form: [String: String]) -> [(String, [String])] {
        var rows: [(String, [String])] = []
        var index = 0
        while let category = form["category-\(index)"] {
            let cells = (0..<12).map { (form["n-\(index)-\($0)"] ?? "").trimmingCharacters(in: .whitespaces) }
            let name = category.trimmingCharacters(in: .whitespaces)
            if !name.isEmpty || cells.contains(where: { !$0.isEmpty && $0 != "0" }) { rows.append((name, cells)) }
            index += 1
            if index > 500 { break }
        }
        return rows
    }

    /// The grid read as the CSV would be (totals computed), each problem named by category and month.
    static func table(_ grid: [(String, [String])], period: ReportingPeriod, allowed: Set<String>) throws -> CountTable
    {
        let header = CountTableFormat.header(for: period)
        let body = grid.map { name, cells in
            [name] + cells.map { $0.isEmpty ? "0" : $0 } + [String(cells.compactMap { Int($0) }.reduce(0, +))]
        }
        let totals = (0..<12).map { month in body.reduce(0) { $0 + (Int($1[month + 1]) ?? 0) } }
        let rows = [header] + body + [["total"] + totals.map(String.init) + [String(totals.reduce(0, +))]]
        return try SubmissionTables.read(rows, period: period, allowed: allowed) { problem in
            let row = problem.row - 2
            let name = row < grid.count ? (grid[row].0.isEmpty ? "row \(row + 1)" : "'\(grid[row].0)'") : "total"
            return problem.column.isEmpty || problem.column == "category" || problem.column == "total"
                ? "Category \(name)" : "Category \(name), \(problem.column)"
        }
    }

    /// A day as YYYY-MM-DD: the end of that day in UTC (a deadline means the whole day).
    static func day(_ text: String?, field: String) throws -> Date? {
        guard let text = text?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
        guard let start = SensorNetwork.day(text) else {
            throw ConcordError.invalid(field: field, "'\(text)' is not a date as YYYY-MM-DD")
        }
        return Date(timeIntervalSince1970: TimeInterval(start + 86_400 - 1))
    }

    /// The service's field names as the page's labels.
    static func label(_ field: String) -> String {
        [
            "alerts": "Alerts published", "advisories": "Advisories published", "trainings": "Trainings given",
            "events": "Events", "about": "About the team", "activities": "Activities of the year",
            "futurePlans": "Future plans", "startMonth": "The team's year starts in", "year": "Year",
            "deadline": "Deadline", "chairMessage": "Chair's message", "comment": "Comment", "tlp": "TLP",
            "cutoff": "Data cut-off",
        ][field] ?? field
    }

    static func fields(_ error: ConcordError) -> [ConcordError.FieldError] {
        let fields = error.fields.map { ConcordError.FieldError(field: label($0.field), detail: $0.detail) }
        return fields.isEmpty ? [ConcordError.FieldError(field: "", detail: error.detail)] : fields
    }

    private static func lines(_ text: String) -> String { text.replacingOccurrences(of: "\r\n", with: "\n") }
}
