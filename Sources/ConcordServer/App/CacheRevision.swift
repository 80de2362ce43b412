import Fluent
import Foundation
import SQLKit

/// A counter per kind of shared state that instances cache or wait on. Each write to that state
/// bumps its counter in the write's own transaction; every instance compares the counters it last
/// saw with the table's (`RevisionWatch`) and rebuilds or wakes what changed. On PostgreSQL the
/// bump also notifies `channel`, delivered when the transaction commits, so the others hear of it
/// at once; polling the table is the fallback, and the only way on SQLite.
enum CacheRevision: String, CaseIterable, Sendable {
    /// The directory behind routing: teams, their contacts and constituencies, economies.
    case directory
    /// Notifications waiting in the outbox: a new one wakes the outbox worker.
    case outbox
    /// The sensors' darknets. A registration bumps it first, so that two at once take turns and
    /// cannot both claim one range; nothing is cached from it.
    case sensors
    /// The sensors' stored hours: an upload bumps it, and cached overviews of the network are
    /// recomputed (`SensorOverviewCache`).
    case sensorHours = "sensor-hours"

    static let table = "cache_revisions"
    /// The PostgreSQL notification channel; the payload is the revision's name.
    static let channel = "concord_revisions"

    /// Bumps this revision as part of the transaction `db` is in (or as one statement); returns its
    /// new value, which no other transaction can also get (the row stays locked until commit).
    @discardableResult
    func bump(on db: any Database) async throws -> Int64 {
        guard let sql = db as? any SQLDatabase else { throw ConcordError(.unavailable, "revisions need SQL") }
        let row = try await sql.raw(
            """
            INSERT INTO cache_revisions (name, revision) VALUES (\(bind: rawValue), 1)
            ON CONFLICT (name) DO UPDATE SET revision = cache_revisions.revision + 1
            RETURNING revision
            """
        ).first()
        if sql.dialect.name == "postgresql" {
            // One notification per transaction and name: PostgreSQL folds identical payloads.
            try await sql.raw("SELECT pg_notify(\(bind: Self.channel), \(bind: rawValue))").run()
        }
        return try row?.decode(column: "revision", as: Int64.self) ?? 0
    }

    /// This revision's current value (0 before its first bump).
    func current(on db: any Database) async throws -> Int64 {
        try await Self.all(on: db)[self] ?? 0
    }

    /// Every revision's current value.
    static func all(on db: any Database) async throws -> [CacheRevision: Int64] {
        guard let sql = db as? any SQLDatabase else { throw ConcordError(.unavailable, "revisions need SQL") }
        let rows = try await sql.raw("SELECT name, revision FROM cache_revisions").all()
        var revisions: [CacheRevision: Int64] = [:]
        for row in rows {
            guard let name = CacheRevision(rawValue: try row.decode(column: "name", as: String.self)) else { continue }
            revisions[name] = try row.decode(column: "revision", as: Int64.self)
        }
        return revisions
    }
}
