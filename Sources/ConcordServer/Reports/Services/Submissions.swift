import ConcordCore
import Fluent
import Foundation
import SQLKit

/// A team's submission to a reporting year, by the web form, a CSV upload or the JSON API alike:
/// saved as a draft, submitted, then accepted or returned by the secretariat. Every change starts
/// with a conditional write on the submission's row (its state, and the version the form showed),
/// so two people saving at once cannot both win on a stale copy, and a refused change stores
/// nothing: what was saved before stays.
enum Submissions {
    /// What a save changes; nil leaves a field as it is.
    struct Draft: Sendable {
        var startMonth: Int?
        var table: CountTable?
        var alerts: Int?
        var advisories: Int?
        var trainings: Int?
        var events: Int?
        var about: String?
        var activities: String?
        var futurePlans: String?
        /// The version the editor saw; a save over a newer one is refused (409).
        var version: Int?
    }

    /// The longest text section, in characters.
    static let textLimit = 20000

    /// A team's submission and what it needs around it.
    struct Found: Sendable {
        let year: ReportingYear
        let team: Team
        let submission: ReportSubmission?

        var state: SubmissionState { submission?.submissionState ?? .notStarted }
        /// The team's own year (its fiscal year if it declared one).
        var period: ReportingPeriod {
            ReportingPeriod(
                year: year.year, startMonth: submission?.startMonth ?? year.startMonth,
                timeZone: TimeZone(identifier: team.timeZone) ?? .gmt) ?? year.period
        }
    }

    /// The year and the team, with the team's submission if it has one. The team is found and
    /// `permission` asked of it before the year, so a refusal never depends on whether the year is
    /// open: 404 for an unknown team, 403 when `permission` is refused, then 404 for an unknown year.
    static func find(
        year: Int?, team slug: String?, caller: Caller,
        permission: (UUID) -> Policy.Permission = { .readSubmission(team: $0) }
    ) async throws -> Found {
        guard let slug else { throw ConcordError.notFound("team") }
        let team = try await DirectoryQueries.team(slug: slug, on: caller.db)
        let teamID = try team.requireID()
        try caller.policy.require(.readSubmission(team: teamID))
        try caller.policy.require(permission(teamID))
        let found = try await ReportingYears.find(year, on: caller.db)
        let submission = try await ReportSubmission.query(on: caller.db)
            .filter(\.$reportingYear.$id == found.requireID()).filter(\.$team.$id == teamID).first()
        return Found(year: found, team: team, submission: submission)
    }

    /// A submission not started, for `team` in `year`.
    static func blank(for team: Team, in year: ReportingYear) throws -> ReportSubmission {
        let row = ReportSubmission()
        row.id = UUID()
        row.$reportingYear.id = try year.requireID()
        row.$team.id = try team.requireID()
        row.state = SubmissionState.notStarted.rawValue
        row.startMonth = year.startMonth
        row.about = ""
        row.activities = ""
        row.futurePlans = ""
        row.version = 0
        return row
    }

    /// The categories a team may count by: RSIT's taxonomies and its own mapped ones.
    static func allowedCategories(of team: UUID, on db: any Database) async throws -> Set<String> {
        let own = try await CategoryMappings.mapping(of: team, on: db).targets.keys
        return Set(CategoryMapping.reportingCategories).union(own)
    }

    /// Saves a draft; 422 naming every field that is wrong, 409 when it was submitted or changed
    /// since the editor's version.
    static func save(_ draft: Draft, year: Int?, team slug: String?, caller: Caller) async throws -> Found {
        let found = try await find(year: year, team: slug, caller: caller) { .editSubmission(team: $0) }
        try check(draft)
        return try await change(.save, found, version: draft.version, caller: caller) { row in
            if let startMonth = draft.startMonth { row.startMonth = startMonth }
            if let table = draft.table { row.counts = try Self.json(table) }
            if let value = draft.alerts { row.alerts = value }
            if let value = draft.advisories { row.advisories = value }
            if let value = draft.trainings { row.trainings = value }
            if let value = draft.events { row.events = value }
            if let text = draft.about { row.about = text }
            if let text = draft.activities { row.activities = text }
            if let text = draft.futurePlans { row.futurePlans = text }
            return "saved a draft"
        }
    }

    /// Hands the submission in; 422 when it has no counts yet.
    static func submit(year: Int?, team slug: String?, version: Int?, caller: Caller) async throws -> Found {
        let found = try await find(year: year, team: slug, caller: caller) { .editSubmission(team: $0) }
        return try await change(.submit, found, version: version, caller: caller) { row in
            guard row.counts != nil else {
                throw ConcordError.invalid(
                    field: "counts", "are missing: fill in the table or upload the CSV before submitting")
            }
            row.submittedAt = caller.clock.now()
            row.returnComment = nil
            return "submitted"
        }
    }

    /// The secretariat takes the submission for the report.
    static func accept(year: Int?, team slug: String?, caller: Caller) async throws -> Found {
        try caller.policy.require(.manageReporting)
        let found = try await find(year: year, team: slug, caller: caller)
        return try await change(.accept, found, version: nil, caller: caller) { row in
            row.decidedAt = caller.clock.now()
            row.decidedBy = caller.actor.name
            return "accepted"
        }
    }

    /// The secretariat sends the submission back with a comment, which the team is mailed.
    static func giveBack(year: Int?, team slug: String?, comment: String?, caller: Caller) async throws -> Found {
        try caller.policy.require(.manageReporting)
        let text = (comment ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty, text.count <= 5000 else {
            throw ConcordError.invalid(
                field: "comment", text.isEmpty ? "is required: say what to change" : "must be at most 5,000 characters")
        }
        let found = try await find(year: year, team: slug, caller: caller)
        return try await change(.return, found, version: nil, caller: caller) { row in
            row.decidedAt = caller.clock.now()
            row.decidedBy = caller.actor.name
            row.returnComment = text
            return "returned: \(text)"
        }
    }

    /// Refuses a draft with every wrong field named.
    private static func check(_ draft: Draft) throws {
        var problems: [ConcordError.FieldError] = []
        if let month = draft.startMonth, !(1...12).contains(month) {
            problems.append(.init(field: "startMonth", detail: "must be a month, 1 to 12"))
        }
        for (field, value) in [
            ("alerts", draft.alerts), ("advisories", draft.advisories), ("trainings", draft.trainings),
            ("events", draft.events),
        ] {
            if let value, value < 0 { problems.append(.init(field: field, detail: "\(value) is not a count")) }
        }
        for (field, text) in [
            ("about", draft.about), ("activities", draft.activities), ("futurePlans", draft.futurePlans),
        ] {
            if let text, text.count > textLimit {
                problems.append(.init(field: field, detail: "must be at most 20,000 characters"))
            }
        }
        guard problems.isEmpty else { throw ConcordError.invalid(problems) }
    }

    /// Applies `action`: makes sure the row exists, claims it with one conditional UPDATE (its
    /// state must allow the action, its version match the editor's), then writes the rest and the
    /// audit entry in the same transaction. A refused claim reads the row to say why.
    private static func change(
        _ action: SubmissionState.Action, _ found: Found, version: Int?, caller: Caller,
        apply: @escaping @Sendable (ReportSubmission) throws -> String
    ) async throws -> Found {
        let yearID = try found.year.requireID()
        let teamID = try found.team.requireID()
        let now = caller.clock.now()
        let starts = SubmissionState.starts(of: action).map(\.rawValue)
        let blank = try blank(for: found.team, in: found.year)
        let changed: ReportSubmission = try await caller.db.writeTransaction { db in
            guard let sql = db as? any SQLDatabase else { throw ConcordError(.unavailable, "no SQL database") }
            try await sql.insert(into: ReportSubmission.schema)
                .columns(
                    "id", "reporting_year_id", "team_id", "state", "start_month", "about", "activities",
                    "future_plans", "version"
                )
                .values(
                    SQLBind(blank.id), SQLBind(yearID), SQLBind(teamID), SQLBind(blank.state),
                    SQLBind(blank.startMonth), SQLBind(""), SQLBind(""), SQLBind(""), SQLBind(0)
                )
                .ignoringConflicts(with: ["reporting_year_id", "team_id"])
                .run()
            var claim = sql.update(ReportSubmission.schema)
                .set("version", to: SQLRaw("version + 1"))
                .where("reporting_year_id", .equal, SQLBind(yearID))
                .where("team_id", .equal, SQLBind(teamID))
                .where("state", .in, SQLBind.group(starts))
            if let version { claim = claim.where("version", .equal, SQLBind(version)) }
            let claimed = try await claim.returning("id").all()
            guard
                let row = try await ReportSubmission.query(on: db).filter(\.$reportingYear.$id == yearID)
                    .filter(\.$team.$id == teamID).first()
            else { throw ConcordError.notFound("submission") }
            guard !claimed.isEmpty else { throw refusal(action, row, version: version) }
            let summary = try apply(row)
            row.state = (row.submissionState.after(action) ?? .draft).rawValue
            row.updatedAt = now
            row.updatedBy = caller.actor.name
            try await row.save(on: db)
            try await AuditLog.record(
                "report.\(action.rawValue)", targetType: "submission",
                targetID: "\(found.year.year)/\(found.team.slug)",
                summary: "\(found.team.shortName), \(found.year.period.label): \(summary)", caller: caller, on: db)
            if action == .return || action == .accept {
                try await SubmissionMail.decided(
                    action, row, team: found.team, year: found.year, caller: caller, on: db)
            }
            return row
        }
        return Found(year: found.year, team: found.team, submission: changed)
    }

    /// Why `action` was refused on `row`: a state that does not allow it, or a stale version.
    private static func refusal(_ action: SubmissionState.Action, _ row: ReportSubmission, version: Int?)
        -> ConcordError
    {
        let state = row.submissionState
        if state.after(action) == nil {
            let why: String
            switch (action, state) {
            case (.save, .submitted), (.submit, .submitted):
                why = "it was submitted and waits for the secretariat: ask it to return the submission to change it"
            case (.save, .accepted), (.submit, .accepted):
                why = "the secretariat accepted it: ask it to return the submission to change it"
            case (.accept, _), (.return, _):
                why = "it is \(state), not submitted"
            default:
                why = "it is \(state)"
            }
            return ConcordError(.conflict, "the submission cannot be \(Self.done(action)): \(why)")
        }
        return ConcordError(
            .conflict,
            "the submission changed since you opened it (you had version \(version ?? 0), it is now "
                + "\(row.version)): reload it and apply your change again")
    }

    private static func done(_ action: SubmissionState.Action) -> String {
        switch action {
        case .save: return "saved"
        case .submit: return "submitted"
        case .accept: return "accepted"
        case .return: return "returned"
        }
    }

    /// The table as stored: JSON with its keys sorted.
    static func json(_ table: CountTable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(table), as: UTF8.self)
    }
}
