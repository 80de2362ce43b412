import ConcordCore
import Fluent
import Vapor

/// The annual report's reporting years and submissions on the API: the secretariat opens a year
/// (`POST /reporting-years`) and reads the status board (`GET /reporting-years/{year}`); a team
/// reads, saves (JSON, or the CSV template filled in), and submits its submission; the secretariat
/// accepts or returns it. Each through `ReportingYears` and `Submissions`, as the page and the
/// command line.
struct ReportingController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let years = routes.grouped(.constant(Paths.Reports.reportingYears))
        years.get(use: list)
        years.post(use: open)
        years.get(":year", use: board)
        years.patch(":year", use: update)
        let submission = years.grouped(":year", .constant(Paths.Reports.submissions), ":team")
        submission.get(use: read)
        submission.put(use: save)
        submission.on(.PUT, .constant(Paths.Reports.countsCSV), body: .collect(maxSize: "2mb"), use: saveCSV)
        submission.get(.constant(Paths.Reports.template), use: template)
        submission.post(.constant(Paths.Reports.submit), use: submit)
        submission.post(.constant(Paths.Reports.accept), use: accept)
        submission.post(.constant(Paths.Reports.giveBack), use: giveBack)
        let mapping = routes.grouped(.constant(Paths.teams), ":team", .constant(Paths.Reports.categoryMapping))
        mapping.get(use: readMapping)
        mapping.put(use: replaceMapping)
    }

    @Sendable func list(req: Request) async throws -> [ReportingYearDTO] {
        try await ReportingYears.listWithOwnState(caller: req.caller).years.map {
            ReportingYearDTO($0.year, ownSubmission: $0.own)
        }
    }

    @Sendable func open(req: Request) async throws -> Response {
        try req.policy.require(.manageReporting)
        let input = try req.content.decode(OpenReportingYearInput.self)
        let year = try await ReportingYears.open(
            year: input.year, startMonth: input.startMonth, deadline: input.deadline, caller: req.caller)
        let response = try await ReportingYearDTO(year, ownSubmission: nil).encodeResponse(status: .created, for: req)
        response.headers.replaceOrAdd(
            name: .location, value: "/\(Paths.api)/\(Paths.Reports.reportingYears)/\(year.year)")
        return response
    }

    @Sendable func board(req: Request) async throws -> ReportingBoardDTO {
        let (year, lines) = try await ReportingYears.board(req.parameters.get("year", as: Int.self), caller: req.caller)
        return ReportingBoardDTO(year, lines: lines, now: req.application.clock.now())
    }

    @Sendable func update(req: Request) async throws -> ReportingYearDTO {
        try req.policy.require(.manageReporting)
        let input = try req.content.decode(UpdateReportingYearInput.self)
        let year = try await ReportingYears.update(
            req.parameters.get("year", as: Int.self), deadline: input.deadline, chairMessage: input.chairMessage,
            caller: req.caller)
        return ReportingYearDTO(year, ownSubmission: nil)
    }

    @Sendable func read(req: Request) async throws -> SubmissionDTO {
        let found = try await Submissions.find(
            year: req.parameters.get("year", as: Int.self), team: req.parameters.get("team"), caller: req.caller)
        return try await SubmissionView.dto(found, caller: req.caller)
    }

    @Sendable func save(req: Request) async throws -> SubmissionDTO {
        let caller = req.caller
        let found = try await Submissions.find(
            year: req.parameters.get("year", as: Int.self), team: req.parameters.get("team"), caller: caller
        ) { .editSubmission(team: $0) }
        let input = try req.content.decode(SubmissionInput.self)
        var draft = Submissions.Draft(
            startMonth: input.startMonth, alerts: input.alerts, advisories: input.advisories,
            trainings: input.trainings, events: input.events, about: input.about, activities: input.activities,
            futurePlans: input.futurePlans, version: input.version)
        if let counts = input.counts {
            let period = Self.period(found, startMonth: input.startMonth)
            draft.table = try SubmissionTables.fromJSON(
                counts, total: input.total, period: period,
                allowed: try await Submissions.allowedCategories(of: found.team.requireID(), on: req.db))
        }
        let saved = try await Submissions.save(draft, year: found.year.year, team: found.team.slug, caller: caller)
        return try await SubmissionView.dto(saved, caller: caller)
    }

    @Sendable func saveCSV(req: Request) async throws -> SubmissionDTO {
        let caller = req.caller
        let found = try await Submissions.find(
            year: req.parameters.get("year", as: Int.self), team: req.parameters.get("team"), caller: caller
        ) { .editSubmission(team: $0) }
        guard let buffer = req.body.data,
            let text = buffer.getString(at: buffer.readerIndex, length: buffer.readableBytes)
        else { throw ConcordError.invalid(field: "file", "the body is empty: send the filled-in template as text/csv") }
        var draft = Submissions.Draft()
        draft.table = try SubmissionTables.fromCSV(
            text, period: found.period,
            allowed: try await Submissions.allowedCategories(of: found.team.requireID(), on: req.db))
        draft.version = req.query[Int.self, at: "version"]
        let saved = try await Submissions.save(draft, year: found.year.year, team: found.team.slug, caller: caller)
        return try await SubmissionView.dto(saved, caller: caller)
    }

    @Sendable func template(req: Request) async throws -> Response {
        let found = try await Submissions.find(
            year: req.parameters.get("year", as: Int.self), team: req.parameters.get("team"), caller: req.caller)
        return try await Self.template(found, on: req)
    }

    @Sendable func submit(req: Request) async throws -> SubmissionDTO {
        let submitted = try await Submissions.submit(
            year: req.parameters.get("year", as: Int.self), team: req.parameters.get("team"),
            version: req.query[Int.self, at: "version"], caller: req.caller)
        return try await SubmissionView.dto(submitted, caller: req.caller)
    }

    @Sendable func accept(req: Request) async throws -> SubmissionDTO {
        let accepted = try await Submissions.accept(
            year: req.parameters.get("year", as: Int.self), team: req.parameters.get("team"), caller: req.caller)
        return try await SubmissionView.dto(accepted, caller: req.caller)
    }

    @Sendable func giveBack(req: Request) async throws -> SubmissionDTO {
        try req.policy.require(.manageReporting)
        let comment = try req.content.decode(ReturnSubmissionInput.self).comment
        let returned = try await Submissions.giveBack(
            year: req.parameters.get("year", as: Int.self), team: req.parameters.get("team"), comment: comment,
            caller: req.caller)
        return try await SubmissionView.dto(returned, caller: req.caller)
    }

    @Sendable func readMapping(req: Request) async throws -> CategoryMappingDTO {
        let team = try await DirectoryQueries.team(slug: req.parameters.get("team") ?? "", on: req.db)
        try req.policy.require(.readSubmission(team: team.requireID()))
        return CategoryMappingDTO(mapping: try await CategoryMappings.mapping(of: team.requireID(), on: req.db).targets)
    }

    @Sendable func replaceMapping(req: Request) async throws -> CategoryMappingDTO {
        let team = try await DirectoryQueries.team(slug: req.parameters.get("team") ?? "", on: req.db)
        try req.policy.require(.editSubmission(team: team.requireID()))
        let input = try req.content.decode(CategoryMappingDTO.self)
        let mapping = try await CategoryMappings.replace(input.mapping, team: team.slug, caller: req.caller)
        return CategoryMappingDTO(mapping: mapping.targets)
    }

    /// The period a draft's table is read in: the start month it sets, else the stored one.
    static func period(_ found: Submissions.Found, startMonth: Int?) -> ReportingPeriod {
        guard let startMonth,
            let period = ReportingPeriod(
                year: found.year.year, startMonth: startMonth, timeZone: found.period.timeZone)
        else { return found.period }
        return period
    }

    /// The CSV template for the team's period: its saved counts if any, else zeros for its
    /// starting categories.
    static func template(_ found: Submissions.Found, on req: Request) async throws -> Response {
        let mapping = try await CategoryMappings.mapping(of: found.team.requireID(), on: req.db)
        let rows =
            found.submission?.table.map { CountTableFormat.rows(of: $0, period: found.period) }
            ?? CountTableFormat.template(
                for: found.period, categories: SubmissionTables.startingCategories(mapping))
        let response = Response(status: .ok, body: .init(string: SubmissionTables.csv(rows)))
        response.headers.contentType = HTTPMediaType(type: "text", subType: "csv", parameters: ["charset": "utf-8"])
        response.headers.contentDisposition = .init(
            .attachment, filename: "concord-\(found.team.slug)-\(found.year.year).csv")
        return response
    }
}
