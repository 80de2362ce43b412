import ConcordCore
import Fluent
import Foundation

/// Reporting years: the secretariat opens one with a deadline, every member team then owes a
/// submission; the status board says where each stands.
enum ReportingYears {
    /// One team's line on the status board.
    struct BoardLine: Sendable {
        let team: Team
        let submission: ReportSubmission?
        let deadline: Date

        var state: SubmissionState { submission?.submissionState ?? .notStarted }
        /// Handed in after the deadline (or not yet, and the deadline passed).
        func isLate(now: Date) -> Bool {
            state.isLate(submittedAt: submission?.submittedAt, deadline: deadline, now: now)
        }
    }

    /// The year, or 404.
    static func find(_ year: Int?, on db: any Database) async throws -> ReportingYear {
        guard let year, let found = try await ReportingYear.query(on: db).filter(\.$year == year).first() else {
            throw ConcordError.notFound("reporting year")
        }
        return found
    }

    /// Every year, newest first (anyone logged in: a team needs to know what it owes).
    static func list(caller: Caller) async throws -> [ReportingYear] {
        _ = try caller.requirePrincipal()
        return try await ReportingYear.query(on: caller.db).sort(\.$year, .descending).all()
    }

    /// The reporting years, each with where the caller's team stands in it: its submission's
    /// state, not started where it owes one it has not begun, nil where it owes none (a partner).
    static func listWithOwnState(caller: Caller) async throws -> (
        years: [(year: ReportingYear, own: SubmissionState?)], team: Team?
    ) {
        let principal = try caller.requirePrincipal()
        let years = try await list(caller: caller)
        let rows = try await ReportSubmission.query(on: caller.db).filter(\.$team.$id == principal.teamID).all()
        var states: [UUID: SubmissionState] = [:]
        for row in rows { states[row.$reportingYear.id] = row.submissionState }
        let team = try await Team.find(principal.teamID, on: caller.db)
        var owes = false
        if let team { owes = try await ReportingMembers.includes(team, on: caller.db) }
        return (years.map { ($0, $0.id.flatMap { states[$0] } ?? (owes ? .notStarted : nil)) }, team)
    }

    /// Opens `year` with its deadline; 409 when it is open already (decided by the unique key).
    static func open(year: Int?, startMonth: Int?, deadline: Date?, caller: Caller) async throws -> ReportingYear {
        try caller.policy.require(.manageReporting)
        let now = caller.clock.now()
        var problems: [ConcordError.FieldError] = []
        if year == nil || !(1970...9998).contains(year ?? 0) {
            problems.append(.init(field: "year", detail: "must be a year between 1970 and 9998"))
        }
        if let startMonth, !(1...12).contains(startMonth) {
            problems.append(.init(field: "startMonth", detail: "must be a month, 1 to 12"))
        }
        if let deadline {
            if deadline <= now { problems.append(.init(field: "deadline", detail: "must be in the future")) }
        } else {
            problems.append(.init(field: "deadline", detail: "is required (the date teams must submit by)"))
        }
        guard problems.isEmpty, let year, let deadline else { throw ConcordError.invalid(problems) }
        let opened = ReportingYear()
        opened.id = UUID()
        opened.year = year
        opened.startMonth = startMonth ?? 1
        opened.deadline = deadline
        opened.openedAt = now
        opened.openedBy = caller.actor.name
        opened.chairMessage = ""
        opened.editions = 0
        do {
            try await caller.db.writeTransaction { db in
                try await opened.create(on: db)
                let members = try await ReportingMembers.all(on: db)
                for team in members {
                    try await Submissions.blank(for: team, in: opened).create(on: db)
                }
                try await AuditLog.record(
                    "report.open", targetType: "reporting-year", targetID: String(year),
                    summary: "opened the reporting year \(opened.period.label) for \(members.count) teams, "
                        + "due \(ISODate.string(deadline))",
                    caller: caller, on: db)
            }
        } catch let error as any DatabaseError where error.isConstraintFailure {
            throw ConcordError(.conflict, "the reporting year \(year) is open already")
        }
        return opened
    }

    /// Changes the deadline or the chair's message.
    static func update(_ year: Int?, deadline: Date?, chairMessage: String?, caller: Caller) async throws
        -> ReportingYear
    {
        try caller.policy.require(.manageReporting)
        let found = try await find(year, on: caller.db)
        if let chairMessage, chairMessage.count > 20000 {
            throw ConcordError.invalid(field: "chairMessage", "must be at most 20,000 characters")
        }
        if let deadline, deadline <= found.openedAt {
            throw ConcordError.invalid(field: "deadline", "must come after the year was opened")
        }
        try await caller.db.writeTransaction { db in
            guard let row = try await ReportingYear.find(found.id, on: db) else { return }
            if let deadline { row.deadline = deadline }
            if let chairMessage { row.chairMessage = chairMessage }
            try await row.save(on: db)
            found.deadline = row.deadline
            found.chairMessage = row.chairMessage
            try await AuditLog.record(
                "report.update", targetType: "reporting-year", targetID: String(row.year),
                summary: [
                    deadline.map { "deadline \(ISODate.string($0))" }, chairMessage.map { _ in "chair's message" },
                ]
                .compactMap { $0 }.joined(separator: ", ") + " changed",
                caller: caller, on: db)
        }
        return found
    }

    /// Every member team's submission state for `year` (the status board), by short name.
    static func board(_ year: Int?, caller: Caller) async throws -> (ReportingYear, [BoardLine]) {
        try caller.policy.require(.readReportingBoard)
        let found = try await find(year, on: caller.db)
        let submissions = try await ReportSubmission.query(on: caller.db)
            .filter(\.$reportingYear.$id == found.requireID()).all()
        let byTeam = Dictionary(submissions.map { ($0.$team.id, $0) }, uniquingKeysWith: { first, _ in first })
        var teams = try await ReportingMembers.all(on: caller.db)
        // A team that submitted and left since still shows.
        let gone = Set(byTeam.keys).subtracting(teams.compactMap(\.id))
        if !gone.isEmpty {
            teams += try await Team.query(on: caller.db).filter(\.$id ~~ gone).with(\.$economy).with(\.$category)
                .with(\.$contacts).all()
        }
        let lines = teams.sorted { $0.shortName.lowercased() < $1.shortName.lowercased() }.map {
            BoardLine(team: $0, submission: $0.id.flatMap { byTeam[$0] }, deadline: found.deadline)
        }
        return (found, lines)
    }
}
