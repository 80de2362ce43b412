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
            .filter(\.$state == AssignmentState.notified.rawValue)
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

/// Starts Concord's background work with the server: the deadline scheduler (every 30 seconds),
/// the outbox worker (every 5), the sensor network's surge monitor (every 300), the drill
/// scheduler (every 5, on the drill clock) and the communication-check scheduler (every 60).
/// Every job but the outbox worker (whose claims already share the work, and which a new message
/// wakes at once) runs on one instance at a time, by a lease in `job_leases`.
public func useBackgroundJobs(_ app: Application) {
    let holder = app.instanceName
    app.lifecycle.use(
        PeriodicJob(name: "deadline scheduler", interval: .seconds(app.concord.schedulerInterval), holder: holder) {
            app in
            try await DeadlineScheduler.runDue(at: app.clock.now(), on: app.db)
        })
    app.lifecycle.use(OutboxWorker.job(every: .seconds(app.concord.outboxInterval)))
    app.lifecycle.use(
        PeriodicJob(name: "surge monitor", interval: .seconds(app.concord.surgeInterval), holder: holder) { app in
            try await SurgeMonitor.runDue(at: app.clock.now(), scan: app.concord.surge, on: app.db)
        })
    app.lifecycle.use(
        PeriodicJob(name: "drill scheduler", interval: .seconds(app.concord.drillInterval), holder: holder) { app in
            try await DrillScheduler.runDue(at: app.drillClock.now(), mailedAt: app.clock.now(), on: app.db)
        })
    app.lifecycle.use(
        PeriodicJob(name: "communication-check scheduler", interval: .seconds(60), holder: holder) { app in
            try await CommCheckScheduler.runDue(at: app.clock.now(), app: app, on: app.db)
        })
    app.lifecycle.use(
        PeriodicJob(name: "abandoned TAXII envelopes", interval: .seconds(60), holder: holder) { app in
            _ = try await TAXIIEnvelopeJobs.recoverAbandoned(app: app)
        })
    app.lifecycle.use(
        PeriodicJob(name: "idempotency keys", interval: .seconds(3600), holder: holder) { app in
            try await IdempotencyStore.purge(before: app.clock.now(), on: app.db)
        })
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
    return !rows.isEmpty
}
