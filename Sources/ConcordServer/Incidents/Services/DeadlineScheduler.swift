import ConcordCore
import Fluent
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
            .filter(\.$state == AssignmentState.notified.rawValue)
            .filter(\.$deadline <= now)
            .with(\.$team)
            .all()
        var escalated = 0
        for assignment in due {
            var procedure = assignment.procedure
            let actions = (try? procedure.handle(.deadlinePassed, at: now)) ?? []
            guard !actions.isEmpty else { continue }
            assignment.escalations = procedure.escalations
            try await db.transaction { db in
                try await IncidentService.perform(
                    actions, on: assignment, teamName: assignment.team.shortName, actor: "scheduler", at: now, on: db)
            }
            escalated += 1
        }
        return escalated
    }
}

/// Runs the deadline scheduler while the server runs.
struct DeadlineSchedulerLifecycle: LifecycleHandler {
    let interval: Duration

    func didBootAsync(_ application: Application) async throws {
        let task = Task {
            while !Task.isCancelled {
                do {
                    try await DeadlineScheduler.runDue(at: Date(), on: application.db)
                } catch {
                    application.logger.warning("deadline scheduler: \(String(describing: type(of: error)))")
                }
                try? await Task.sleep(for: interval)
            }
        }
        application.storage[DeadlineSchedulerTaskKey.self] = task
    }

    func shutdownAsync(_ application: Application) async {
        application.storage[DeadlineSchedulerTaskKey.self]?.cancel()
    }
}

/// Where the running scheduler task is kept, to cancel it at shutdown.
struct DeadlineSchedulerTaskKey: StorageKey {
    typealias Value = Task<Void, Never>
}

/// Starts Concord's background work with the server: today the deadline scheduler, every 30 seconds.
public func useBackgroundJobs(_ app: Application) {
    app.lifecycle.use(DeadlineSchedulerLifecycle(interval: .seconds(30)))
}
