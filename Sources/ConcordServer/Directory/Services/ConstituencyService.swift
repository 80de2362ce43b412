import Fluent
import SQLKit
import Vapor

/// Changes what a team is responsible for, for the API and the team page alike: one item added or
/// removed, or the whole list replaced. The policy is asked first (the input is read only after it
/// allows the change); each change and its audit line are one transaction; the routing snapshot is
/// rebuilt after it, so every instance routes by the new constituency.
enum ConstituencyService {
    /// A change made: the team and the item as stored (normalised).
    struct Change: Sendable {
        let team: Team
        let kind: ConstituencyEntry.Kind
        let value: String
    }

    /// Adds one item; 409 when the team lists it already (decided by the table's unique key, so two
    /// people adding the same prefix at once store it once and the second hears why).
    static func add(_ readItem: @autoclosure () throws -> ConstituencyItemInput, to slug: String, caller: Caller)
        async throws -> Change
    {
        let team = try await DirectoryQueries.team(slug: slug, on: caller.db)
        let teamID = try team.requireID()
        try caller.policy.require(.editTeam(team: teamID))
        let (kind, value) = try await ConstituencyNormaliser.normalise(try readItem(), on: caller.db)
        let added = try await caller.db.writeTransaction { db in
            guard let sql = db as? any SQLDatabase else { throw ConcordError(.unavailable, "no SQL database") }
            let rows = try await sql.insert(into: ConstituencyEntry.schema)
                .columns("id", "team_id", "kind", "value", "created_at")
                .values(
                    SQLBind(UUID()), SQLBind(teamID), SQLBind(kind.rawValue), SQLBind(value),
                    SQLBind(caller.clock.now())
                )
                .ignoringConflicts(with: ["team_id", "kind", "value"])
                .returning("id")
                .all()
            guard !rows.isEmpty else { return false }
            // Written past Fluent's models, so the bump `RevisionBumping` would make is made here.
            try await CacheRevision.directory.bump(on: db)
            try await AuditLog.record(
                "constituency.add", targetType: "team", targetID: team.slug,
                summary: "\(team.shortName): added \(kind.rawValue) \(value)", caller: caller, on: db)
            return true
        }
        guard added else { throw ConcordError(.conflict, "\(team.shortName) already lists \(value)") }
        try await caller.app.routingDirectory.rebuild(on: caller.db)
        return Change(team: team, kind: kind, value: value)
    }

    /// Removes one item, given as written or normalised; 404 when the team does not list it.
    static func remove(kind: ConstituencyEntry.Kind?, value: String?, from slug: String, caller: Caller)
        async throws -> Change
    {
        let team = try await DirectoryQueries.team(slug: slug, on: caller.db)
        let teamID = try team.requireID()
        try caller.policy.require(.editTeam(team: teamID))
        guard let kind, let value else {
            throw ConcordError.invalid(field: "kind", "kind (prefix, asn, domain, economy) and value are required")
        }
        let (_, normalised) = try await ConstituencyNormaliser.normalise(
            ConstituencyItemInput(kind: kind, value: value), on: caller.db)
        let removed = try await caller.db.writeTransaction { db in
            guard
                let entry = try await ConstituencyEntry.query(on: db)
                    .filter(\.$team.$id == teamID).filter(\.$kind == kind).filter(\.$value == normalised).first()
            else { return false }
            try await entry.delete(on: db)
            try await AuditLog.record(
                "constituency.remove", targetType: "team", targetID: team.slug,
                summary: "\(team.shortName): removed \(kind.rawValue) \(normalised)", caller: caller, on: db)
            return true
        }
        guard removed else { throw ConcordError.notFound("\(team.shortName)'s constituency entry \(normalised)") }
        try await caller.app.routingDirectory.rebuild(on: caller.db)
        return Change(team: team, kind: kind, value: normalised)
    }

    /// Replaces the whole constituency; every item is validated before anything is written.
    static func replace(with readList: @autoclosure () throws -> ConstituencyDTO, of slug: String, caller: Caller)
        async throws -> [ConstituencyEntry]
    {
        let team = try await DirectoryQueries.team(slug: slug, on: caller.db)
        let teamID = try team.requireID()
        try caller.policy.require(.editTeam(team: teamID))
        let items = try await ConstituencyNormaliser.normalise(try readList(), on: caller.db)
        try await caller.db.writeTransaction { db in
            try await ConstituencyEntry.query(on: db).filter(\.$team.$id == teamID).delete()
            for (kind, value) in items {
                try await ConstituencyEntry(teamID: teamID, kind: kind, value: value).create(on: db)
            }
            try await AuditLog.record(
                "constituency.replace", targetType: "team", targetID: team.slug,
                summary: "\(team.shortName): constituency set to \(items.count) item(s)", caller: caller, on: db)
        }
        try await caller.app.routingDirectory.rebuild(on: caller.db)
        return try await ConstituencyEntry.query(on: caller.db).filter(\.$team.$id == teamID).all()
    }
}
