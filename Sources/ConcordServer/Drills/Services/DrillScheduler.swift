import Fluent
import Foundation

/// Moves drills along their clock: starts them at their instant, releases each inject when its
/// offset comes (drill time: the time since the start less the pauses), and ends them after their
/// duration. `concord serve` runs it every `CONCORD_DRILL_INTERVAL` seconds on the drill clock;
/// tests call `runDue(at:)` with a clock of their own.
enum DrillScheduler {
    /// Does what is due at `now`; returns how many injects were released.
    @discardableResult
    static func runDue(at now: Date, mailedAt wall: Date, on db: any Database) async throws -> Int {
        let drills = try await Drill.query(on: db).filter(\.$state ~~ [.scheduled, .running])
            .filter(\.$startsAt <= now).all()
        var released = 0
        for drill in drills {
            if drill.state == .scheduled {
                drill.state = .running
                try await drill.save(on: db)
            }
            let elapsed = drill.elapsed(at: now)
            let due = try await DrillInjectRecord.query(on: db).filter(\.$drillID == drill.requireID())
                .filter(\.$state == .pending).filter(\.$offsetSeconds <= elapsed).sort(\.$offsetSeconds).all()
            for inject in due where try await DrillRelease.release(inject, of: drill, at: now, mailedAt: wall, on: db) {
                released += 1
            }
            if elapsed >= drill.durationSeconds {
                // It ended at its natural end, even when the scheduler looks later.
                let end = drill.startsAt.addingTimeInterval(TimeInterval(drill.durationSeconds + drill.pausedSeconds))
                drill.state = .finished
                drill.finishedAt = min(now, end)
                try await drill.save(on: db)
            }
        }
        return released
    }
}
