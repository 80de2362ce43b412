import ConcordCore
import Fluent
import Vapor

/// A team's submission page: the counts grid, the CSV upload and template, the figures and texts,
/// the team's own categories, the declared figures beside the measured ones, the secretariat's decision.
extension ReportingWebController {
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

    func decide(_ req: Request, _ work: (Int, String) async throws -> String) async throws -> Response {
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

    func renderSubmission(
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

}
