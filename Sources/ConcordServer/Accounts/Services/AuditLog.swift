import Fluent
import Foundation

/// Writes the audit log. Call it inside the transaction of the change it records, so that a change
/// and its audit line are stored together or not at all. Summaries name things, never secrets.
enum AuditLog {
    /// Who did it and from where, and the clock that dates the line.
    struct Actor: Sendable {
        let name: String
        let userID: UUID?
        let remoteAddress: String?
        let clock: any ConcordClock

        init(name: String, userID: UUID? = nil, remoteAddress: String? = nil, clock: any ConcordClock) {
            self.name = name
            self.userID = userID
            self.remoteAddress = remoteAddress
            self.clock = clock
        }

        /// The operator at the command line (who holds the database credentials).
        static func commandLine(_ clock: any ConcordClock) -> Actor { Actor(name: "cli", clock: clock) }
    }

    /// Records an action of the caller.
    static func record(
        _ action: String, targetType: String, targetID: String?, summary: String, caller: Caller,
        on database: any Database
    ) async throws {
        try await record(
            action, by: caller.actor, targetType: targetType, targetID: targetID, summary: summary, on: database)
    }

    /// Records an action of `actor`.
    static func record(
        _ action: String, by actor: Actor, targetType: String, targetID: String?, summary: String,
        on database: any Database
    ) async throws {
        try await AuditEntry(
            at: actor.clock.now(), actor: actor.name, actorUserID: actor.userID, action: action, targetType: targetType,
            targetID: targetID, summary: summary, remoteAddress: actor.remoteAddress
        ).create(on: database)
    }

    /// Records an action taken from the command line or by Concord itself.
    static func recordSystem(
        _ action: String, actor: String, targetType: String, targetID: String?, summary: String,
        clock: any ConcordClock, on database: any Database
    ) async throws {
        try await record(
            action, by: Actor(name: actor, clock: clock), targetType: targetType, targetID: targetID, summary: summary,
            on: database)
    }
}
