import ConcordCore
import Fluent
import Vapor

/// Communication checks over the JSON API: the secretariat starts and schedules them, records
/// calls and feeds signed reply mails in; a team answers its challenges; everybody reads the
/// report (every team's rows for the secretariat, its own otherwise) and its team's history.
struct CommCheckController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        typealias P = Paths.Checks
        let checks = routes.grouped(.constant(P.commChecks))
        checks.post(use: start)
        checks.get(use: list)
        checks.get(":check", .constant(P.report), use: report)
        checks.post(":check", .constant(P.answer), use: answer)
        checks.post(":check", .constant(P.challenges), ":challenge", .constant(P.call), use: call)
        checks.on(.POST, .constant(P.replies), body: .collect(maxSize: "1mb"), use: reply)
        checks.get(.constant(Paths.teams), ":team", .constant(P.history), use: history)
        routes.post(.constant(P.schedules), use: schedule)
        routes.get(.constant(P.schedules), use: schedules)
    }

    @Sendable func start(req: Request) async throws -> Response {
        let principal = try Self.principal(req)
        try req.policy.require(.manageDrills)
        let input = try req.content.decode(CommCheckInput.self)
        let (window, kinds) = try Self.validate(
            title: input.title, windowHours: input.windowHours, windowMinutes: input.windowMinutes, kinds: input.kinds)
        let check = try await CommChecks.start(
            title: input.title, window: window, kinds: kinds, by: principal.userID, now: req.application.clock.now(),
            app: req.application,
            on: req.db)
        return try await CommCheckDTO(check).encodeResponse(status: .created, for: req)
    }

    @Sendable func list(req: Request) async throws -> [CommCheckDTO] {
        try req.policy.require(.readDirectory)
        return try await CommCheck.query(on: req.db).sort(\.$startedAt, .descending).all().map { try CommCheckDTO($0) }
    }

    @Sendable func report(req: Request) async throws -> CommCheckReportDTO {
        let principal = try Self.principal(req)
        let check = try await Self.check(req)
        let rows: Set<UUID>? = req.policy.allows(.manageDrills) ? nil : [principal.teamID]
        return try await CommCheckReports.build(check, rowsOf: rows, at: req.application.clock.now(), on: req.db)
    }

    /// The caller's team answers every open challenge of its own in the check (by API).
    @Sendable func answer(req: Request) async throws -> CommCheckReportDTO {
        let principal = try Self.principal(req)
        try req.policy.require(.answerCheck)
        let check = try await Self.check(req)
        let open = try await CommChallenge.query(on: req.db).filter(\.$checkID == check.requireID())
            .filter(\.$teamID == principal.teamID).filter(\.$channel == .email).filter(\.$answeredAt == nil).all()
        guard !open.isEmpty else { throw ConcordError(.conflict, "your team has no open challenge in this check") }
        for challenge in open {
            try await CommChecks.answer(challenge, via: "api", at: req.application.clock.now(), on: req.db)
        }
        return try await CommCheckReports.build(
            check, rowsOf: [principal.teamID], at: req.application.clock.now(), on: req.db)
    }

    /// Exercise control records a call it made (phones, hotlines): answered or not.
    @Sendable func call(req: Request) async throws -> CommCheckReportDTO {
        try req.policy.require(.manageDrills)
        let check = try await Self.check(req)
        guard let id = req.parameters.get("challenge", as: UUID.self),
            let challenge = try await CommChallenge.find(id, on: req.db), challenge.checkID == check.id
        else { throw ConcordError.notFound("challenge") }
        guard challenge.channel == .manual else {
            throw ConcordError(.conflict, "only calls are recorded by hand; mail is answered by its link or a reply")
        }
        try await CommChecks.answer(challenge, via: "manual", at: req.application.clock.now(), on: req.db)
        return try await CommCheckReports.build(check, rowsOf: nil, at: req.application.clock.now(), on: req.db)
    }

    /// A reply mail (the whole message, as the forum's mailbox received it), signed inline with
    /// the challenged contact's key.
    @Sendable func reply(req: Request) async throws -> Response {
        try req.policy.require(.manageDrills)
        guard let body = req.body.string, !body.isEmpty else {
            throw ConcordError.invalid(field: "mail", "send the reply mail as the request body")
        }
        let challenge = try await CommChecks.answer(
            reply: body, at: req.application.clock.now(), app: req.application, on: req.db)
        guard let check = try await CommCheck.find(challenge.checkID, on: req.db) else {
            throw ConcordError.notFound("check")
        }
        return try await CommCheckReports.build(
            check, rowsOf: [challenge.teamID], at: req.application.clock.now(), on: req.db
        )
        .encodeResponse(for: req)
    }

    @Sendable func history(req: Request) async throws -> [CommCheckHistoryDTO] {
        guard let slug = req.parameters.get("team"),
            let team = try await Team.query(on: req.db).filter(\.$slug == slug).first()
        else { throw ConcordError.notFound("team") }
        try req.policy.require(.readTeamPrivate(team: try team.requireID()))
        return try await CommCheckReports.history(of: try team.requireID(), on: req.db)
    }

    @Sendable func schedule(req: Request) async throws -> Response {
        let principal = try Self.principal(req)
        try req.policy.require(.manageDrills)
        let input = try req.content.decode(CommCheckScheduleInput.self)
        var validator = FieldValidator()
        validator.check((1...366).contains(input.everyDays), "everyDays", "must be 1 to 366")
        try validator.throwIfFailed()
        let (window, _) = try Self.validate(
            title: input.title, windowHours: input.windowHours, windowMinutes: nil, kinds: nil)
        let schedule = CommCheckSchedule()
        schedule.title = input.title
        schedule.everyDays = input.everyDays
        schedule.windowSeconds = window
        schedule.nextAt =
            input.firstAt ?? req.application.clock.now().addingTimeInterval(TimeInterval(input.everyDays * 86_400))
        schedule.createdBy = principal.userID
        try await schedule.create(on: req.db)
        return try await Self.dto(schedule).encodeResponse(status: .created, for: req)
    }

    @Sendable func schedules(req: Request) async throws -> [CommCheckScheduleDTO] {
        try req.policy.require(.manageDrills)
        return try await CommCheckSchedule.query(on: req.db).sort(\.$nextAt).all().map(Self.dto)
    }

    // MARK: Helpers

    private static func dto(_ schedule: CommCheckSchedule) throws -> CommCheckScheduleDTO {
        CommCheckScheduleDTO(
            id: try schedule.requireID(), title: schedule.title, everyDays: schedule.everyDays,
            windowSeconds: schedule.windowSeconds, nextAt: schedule.nextAt)
    }

    private static func validate(title: String, windowHours: Int?, windowMinutes: Int?, kinds: [String]?) throws
        -> (Int, [Contact.Kind])
    {
        var validator = FieldValidator()
        validator.check(!title.isEmpty && title.count <= 200, "title", "must be 1 to 200 characters")
        let minutes = windowMinutes ?? (windowHours ?? 24) * 60
        validator.check((1...(14 * 24 * 60)).contains(minutes), "windowHours", "the window must be 1 minute to 14 days")
        validator.check(windowHours == nil || windowMinutes == nil, "windowMinutes", "give hours or minutes, not both")
        var chosen: [Contact.Kind] = []
        for (index, name) in (kinds ?? CommChecks.defaultKinds.map(\.rawValue)).enumerated() {
            guard let kind = Contact.Kind(rawValue: name) else {
                validator.fail(
                    "kinds[\(index)]", "must be one of \(Contact.Kind.allCases.map(\.rawValue).joined(separator: ", "))"
                )
                continue
            }
            chosen.append(kind)
        }
        validator.check(!chosen.isEmpty || kinds?.isEmpty == false, "kinds", "name at least one contact kind")
        try validator.throwIfFailed()
        return (minutes * 60, chosen)
    }

    private static func principal(_ req: Request) throws -> Principal {
        guard let principal = req.auth.get(Principal.self) else { throw ConcordError.unauthenticated }
        return principal
    }

    private static func check(_ req: Request) async throws -> CommCheck {
        try req.policy.require(.readDirectory)
        guard let id = req.parameters.get("check", as: UUID.self), let check = try await CommCheck.find(id, on: req.db)
        else { throw ConcordError.notFound("check") }
        return check
    }
}
