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
                + "\(ISODate.string(year.deadline)); reminders go 30, 7 and 1 days before."
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
        let (years, team) = try await ReportingYears.listWithOwnState(caller: caller)
        let lines = years.map { year, state -> YearLine in
            YearLine(
                year: year.year, period: year.period.label, deadline: NotificationText.utc(year.deadline),
                own: state?.rawValue, ownLabel: state?.description)
        }
        let thisYear = Calendar(identifier: .gregorian).dateComponents(in: .gmt, from: caller.clock.now()).year ?? 2026
        let page = ListPage(
            viewer: try await req.webViewer(), csrf: req.csrfToken, years: lines,
            manages: req.policy.allows(.manageReporting), teamSlug: team?.slug ?? "", errors: errors, form: form,
            nextYear: years.contains { $0.year.year == thisYear } ? thisYear + 1 : thisYear)
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
            deadline: NotificationText.utc(year.deadline), deadlineDay: ISODate.string(year.deadline),
            chairMessage: year.chairMessage, lines: board,
            states: SubmissionState.allCases.map { state in
                StateCount(
                    state: state.rawValue, label: state.description, count: lines.filter { $0.state == state }.count)
            }, flash: flash, errors: errors)
        return try await req.view.render("report-year", page).encodeResponse(status: status, for: req)
    }

}
