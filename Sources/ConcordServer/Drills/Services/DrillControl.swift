import ConcordCore
import Fluent
import Foundation

/// Exercise control's hands on a running drill: pause and resume the clock (open deadlines move by
/// the pause), skip an inject or release it now, send an ad-hoc inject, and end the drill.
enum DrillControl {
    /// What exercise control can do to the drill as a whole.
    enum Command: String, Codable, Sendable, CaseIterable {
        case pause, resume, finish
    }

    /// Applies `command` at `now`.
    static func apply(_ command: Command, to drill: Drill, at now: Date, on db: any Database) async throws {
        switch (command, drill.state) {
        case (.pause, .running):
            drill.state = .paused
            drill.pausedAt = now
            try await drill.save(on: db)
        case (.resume, .paused):
            let pause = Int(now.timeIntervalSince(drill.pausedAt ?? now).rounded(.down))
            drill.state = .running
            drill.pausedAt = nil
            drill.pausedSeconds += pause
            try await db.writeTransaction { db in
                try await drill.save(on: db)
                let open = try await DrillDelivery.query(on: db).filter(\.$drillID == drill.requireID())
                    .filter(\.$completedAt == nil).filter(\.$deadlineAt != nil).all()
                for delivery in open {
                    delivery.deadlineAt = delivery.deadlineAt?.addingTimeInterval(TimeInterval(pause))
                    try await delivery.save(on: db)
                }
            }
        case (.finish, .scheduled), (.finish, .running), (.finish, .paused):
            if drill.state == .paused, let paused = drill.pausedAt {
                drill.pausedSeconds += Int(now.timeIntervalSince(paused).rounded(.down))
                drill.pausedAt = nil
            }
            drill.state = .finished
            drill.finishedAt = now
            try await drill.save(on: db)
        default:
            throw ConcordError(.conflict, "a \(drill.state.rawValue) drill cannot \(command.rawValue)")
        }
    }

    /// Skips a pending inject (`release: false`) or releases it now.
    static func inject(
        _ key: String, release: Bool, in drill: Drill, at now: Date, mailedAt wall: Date, on db: any Database
    ) async throws {
        guard drill.state != .finished else { throw ConcordError(.conflict, "the drill is finished") }
        guard
            let inject = try await DrillInjectRecord.query(on: db).filter(\.$drillID == drill.requireID())
                .filter(\.$key == key).first()
        else { throw ConcordError.notFound("inject \(key)") }
        guard inject.state == .pending else {
            throw ConcordError(.conflict, "inject \(key) is \(inject.state.rawValue)")
        }
        if release {
            try await DrillRelease.release(inject, of: drill, at: now, mailedAt: wall, on: db)
        } else {
            inject.state = .skipped
            try await inject.save(on: db)
        }
    }

    /// Sends an inject that is not in the scenario, now.
    static func adhoc(_ inject: DrillInject, in drill: Drill, at now: Date, mailedAt wall: Date, on db: any Database)
        async throws
        -> DrillInjectRecord
    {
        guard drill.state == .running || drill.state == .paused else {
            throw ConcordError(.conflict, "ad-hoc injects go to a running drill")
        }
        let record = try DrillPlanner.injectRecord(inject, drill: try drill.requireID(), adhoc: true)
        record.offsetSeconds = drill.elapsed(at: now)
        try await record.create(on: db)
        try await DrillRelease.release(record, of: drill, at: now, mailedAt: wall, on: db)
        return record
    }
}
