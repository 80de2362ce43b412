import Fluent
import FluentSQL
import Foundation
import Vapor

/// Starts the scheduled communication checks when their time comes, and moves each schedule on
/// by its period (skipping periods missed while the server was down). `concord serve` runs it
/// every minute.
enum CommCheckScheduler {
    /// Starts what is due at `now`; returns how many checks were started.
    @discardableResult
    static func runDue(at now: Date, app: Application, on db: any Database) async throws -> Int {
        var started = 0
        for schedule in try await CommCheckSchedule.query(on: db).filter(\.$nextAt <= now).all() {
            let due = schedule.nextAt
            let period = TimeInterval(schedule.everyDays * 86_400)
            var next = due
            while next <= now { next = next.addingTimeInterval(period) }
            // Claimed by moving the schedule on first, so that two servers start it once.
            guard let sql = db as? any SQLDatabase else { throw ConcordError(.unavailable, "checks need SQL") }
            let claimed = try await sql.raw(
                """
                UPDATE comm_check_schedules SET next_at = \(bind: next)
                WHERE id = \(bind: try schedule.requireID()) AND next_at = \(bind: due) RETURNING id
                """
            ).all()
            guard !claimed.isEmpty else { continue }
            _ = try await CommChecks.start(
                title: schedule.title, window: schedule.windowSeconds, kinds: CommChecks.defaultKinds,
                schedule: schedule.id, by: schedule.createdBy, now: now, app: app, on: db)
            started += 1
        }
        return started
    }
}
