import ConcordCore
import Fluent
import Foundation
import SQLKit

/// Reminds the member teams that have not submitted, 30, 7 and 1 days before a reporting year's
/// deadline. Only the nearest reminder due is sent (a year opened five days before its deadline
/// sends the 7-day one, not the 30-day one too), and each goes once: the row in
/// `report_reminders` is written first, decided by its unique key, and the mail is queued in the
/// same transaction, whichever instance runs the job.
enum SubmissionReminders {
    /// Sends what is due at `now`; returns how many reminders were queued.
    @discardableResult
    static func runDue(at now: Date, publicURL: String, on db: any Database) async throws -> Int {
        let open = try await ReportingYear.query(on: db).filter(\.$deadline > now).all()
        var sent = 0
        for year in open {
            guard let days = dueReminder(deadline: year.deadline, now: now) else { continue }
            let yearID = try year.requireID()
            let states = try await ReportSubmission.query(on: db).filter(\.$reportingYear.$id == yearID).all()
                .reduce(into: [UUID: SubmissionState]()) { $0[$1.$team.id] = $1.submissionState }
            for team in try await ReportingMembers.all(on: db) {
                let teamID = try team.requireID()
                let state = states[teamID] ?? .notStarted
                guard !state.isHandedIn else { continue }
                let queued = try await db.writeTransaction { db in
                    guard let sql = db as? any SQLDatabase else { return false }
                    let rows = try await sql.insert(into: ReportReminder.schema)
                        .columns("id", "reporting_year_id", "team_id", "days_before", "sent_at")
                        .values(SQLBind(UUID()), SQLBind(yearID), SQLBind(teamID), SQLBind(days), SQLBind(now))
                        .ignoringConflicts(with: ["reporting_year_id", "team_id", "days_before"])
                        .returning("id").all()
                    guard !rows.isEmpty else { return false }
                    try await SubmissionMail.reminder(
                        daysBefore: days, team: team, year: year, state: state, publicURL: publicURL, now: now, on: db)
                    return true
                }
                if queued { sent += 1 }
            }
        }
        return sent
    }

    /// The nearest reminder due at `now` (30, 7 or 1 days before `deadline`), nil before the first.
    static func dueReminder(deadline: Date, now: Date) -> Int? {
        guard now < deadline else { return nil }
        return SubmissionMail.reminderDays.sorted().first { now >= deadline.addingTimeInterval(-Double($0) * 86400) }
    }
}
