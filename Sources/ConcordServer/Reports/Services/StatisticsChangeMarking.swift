import Fluent
import Foundation
import SQLKit

/// Marks the statistics summary's days changed in the same transaction as every write that moves
/// a figure: an incident's (its report day), an assignment's (its incident's report day), and a
/// team's change of economy (every day: cross-border cases are counted by economy). A write made
/// outside a transaction gets one of its own, holding the write and the mark.
enum StatisticsChangeMarking {
    /// Adds a change mark for `day` (nil: every day).
    static func mark(day: Date?, on db: any Database) async throws {
        guard let sql = db as? any SQLDatabase else { return }
        try await sql.insert(into: StatisticsSummary.changesSchema).columns("id", "day")
            .values(SQLBind(UUID()), day.map { SQLBind(StatisticsSummary.day(of: $0)) } ?? SQLLiteral.null).run()
    }

    /// Marks the report day of the incident `id`.
    static func mark(incident id: UUID, on db: any Database) async throws {
        guard let sql = db as? any SQLDatabase else { return }
        let reported = try await sql.raw("SELECT reported_at FROM incidents WHERE id = \(bind: id)").first()?
            .decode(column: "reported_at", as: Date.self)
        if let reported { try await mark(day: reported, on: db) }
    }

    /// Registers the marking on the models whose writes move figures.
    static func use(on middleware: Databases.Middleware) {
        middleware.use(IncidentMarking())
        middleware.use(AssignmentMarking())
        middleware.use(TeamEconomyMarking())
    }

    /// Runs `write` and `mark` in one transaction.
    fileprivate static func marking(
        on db: any Database, write: @escaping @Sendable (any Database) async throws -> Void,
        mark: @escaping @Sendable (any Database) async throws -> Void
    ) async throws {
        try await db.writeTransaction { db in
            try await write(db)
            try await mark(db)
        }
    }
}

/// An incident's writes mark its report day.
private struct IncidentMarking: AsyncModelMiddleware {
    func create(model: Incident, on db: any Database, next: any AnyAsyncModelResponder) async throws {
        try await StatisticsChangeMarking.marking(
            on: db, write: { try await next.create(model, on: $0) },
            mark: { try await StatisticsChangeMarking.mark(day: model.reportedAt, on: $0) })
    }

    func update(model: Incident, on db: any Database, next: any AnyAsyncModelResponder) async throws {
        try await StatisticsChangeMarking.marking(
            on: db, write: { try await next.update(model, on: $0) },
            mark: { try await StatisticsChangeMarking.mark(day: model.reportedAt, on: $0) })
    }

    func delete(model: Incident, force: Bool, on db: any Database, next: any AnyAsyncModelResponder) async throws {
        try await StatisticsChangeMarking.marking(
            on: db, write: { try await next.delete(model, force: force, on: $0) },
            mark: { try await StatisticsChangeMarking.mark(day: model.reportedAt, on: $0) })
    }
}

/// An assignment's writes mark its incident's report day.
private struct AssignmentMarking: AsyncModelMiddleware {
    func create(model: IncidentAssignment, on db: any Database, next: any AnyAsyncModelResponder) async throws {
        try await StatisticsChangeMarking.marking(
            on: db, write: { try await next.create(model, on: $0) },
            mark: { try await StatisticsChangeMarking.mark(incident: model.$incident.id, on: $0) })
    }

    func update(model: IncidentAssignment, on db: any Database, next: any AnyAsyncModelResponder) async throws {
        try await StatisticsChangeMarking.marking(
            on: db, write: { try await next.update(model, on: $0) },
            mark: { try await StatisticsChangeMarking.mark(incident: model.$incident.id, on: $0) })
    }

    func delete(model: IncidentAssignment, force: Bool, on db: any Database, next: any AnyAsyncModelResponder)
        async throws
    {
        try await StatisticsChangeMarking.marking(
            on: db, write: { try await next.delete(model, force: force, on: $0) },
            mark: { try await StatisticsChangeMarking.mark(incident: model.$incident.id, on: $0) })
    }
}

/// A team that moves to another economy, or goes, marks every day.
private struct TeamEconomyMarking: AsyncModelMiddleware {
    func update(model: Team, on db: any Database, next: any AnyAsyncModelResponder) async throws {
        let economy = model.$economy.id
        try await db.writeTransaction { db in
            guard let sql = db as? any SQLDatabase else { return try await next.update(model, on: db) }
            let before = try await sql.raw("SELECT economy_id FROM teams WHERE id = \(bind: try model.requireID())")
                .first()?.decode(column: "economy_id", as: UUID.self)
            try await next.update(model, on: db)
            if before != economy { try await StatisticsChangeMarking.mark(day: nil, on: db) }
        }
    }

    func delete(model: Team, force: Bool, on db: any Database, next: any AnyAsyncModelResponder) async throws {
        try await StatisticsChangeMarking.marking(
            on: db, write: { try await next.delete(model, force: force, on: $0) },
            mark: { try await StatisticsChangeMarking.mark(day: nil, on: $0) })
    }
}
