import ConcordCore
import Fluent
import FluentSQL
import Vapor

/// Escalates missed acknowledgements: every assignment still `notified` after its deadline gets the
/// procedure's `deadlinePassed` event (first the team's next channel and a new deadline, then the
/// secretariat), written with its timeline lines in one transaction. `concord serve` runs it every
/// 30 seconds; tests call `runDue(at:)` with a pinned clock.
enum DeadlineScheduler {
    /// Escalates what is due at `now`; returns how many assignments were escalated.
    @discardableResult
    static func runDue(at now: Date, on db: any Database) async throws -> Int {
        let due = try await IncidentAssignment.query(on: db)
            .join(Incident.self, on: \IncidentAssignment.$incident.$id == \Incident.$id)
            .filter(Incident.self, \.$closedAt == nil)  // a closed incident escalates no more
            .filter(\.$state == AssignmentState.notified)
            .filter(\.$deadline <= now)
            .with(\.$team)
            .all()
        var escalated = 0
        for assignment in due {
            var procedure = assignment.procedure
            let before = assignment.escalations
            let actions = (try? procedure.handle(.deadlinePassed, at: now)) ?? []
            guard !actions.isEmpty else { continue }
            assignment.escalations = procedure.escalations
            let claimed = try await db.writeTransaction { db -> Bool in
                // Several `concord serve` may run this at once: only the one whose conditional
                // update finds the assignment as it read it escalates; the others leave it.
                guard try await claim(assignment, escalationsWere: before, now: now, on: db) else { return false }
                try await IncidentService.perform(
                    actions, on: assignment, teamName: assignment.team.shortName, actor: "scheduler", at: now, on: db)
                return true
            }
            if claimed { escalated += 1 }
        }
        return escalated
    }
}

/// Marks the escalation if nobody else has since the assignment was read.
private func claim(_ assignment: IncidentAssignment, escalationsWere before: Int, now: Date, on db: any Database)
    async throws -> Bool
{
    guard let sql = db as? any SQLDatabase else { throw ConcordError(.unavailable, "the scheduler needs SQL") }
    let rows = try await sql.raw(
        """
        UPDATE incident_assignments SET escalations = \(bind: assignment.escalations)
        WHERE id = \(bind: try assignment.requireID()) AND escalations = \(bind: before)
            AND state = \(bind: AssignmentState.notified.rawValue) AND deadline <= \(bind: now)
        RETURNING id
        """
    ).all()
    guard !rows.isEmpty else { return false }
    try await StatisticsChangeMarking.mark(incident: assignment.$incident.id, on: db)
    return true
}
