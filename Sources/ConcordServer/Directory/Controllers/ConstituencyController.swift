import Fluent
import Vapor

/// `/api/v1/teams/:team/constituency`: what a team is responsible for. Every change rebuilds the
/// routing table.
struct ConstituencyController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let constituency = routes.grouped(.constant(Paths.teams), ":team", .constant(Paths.constituency))
        constituency.get(use: show)
        constituency.put(use: replace)
        constituency.post(use: add)
        constituency.delete(use: remove)
    }

    @Sendable func show(req: Request) async throws -> ConstituencyDTO {
        try req.policy.require(.readDirectory)
        return ConstituencyDTO(
            try await DirectoryQueries.team(slug: req.parameters.get("team") ?? "", on: req.db).constituency)
    }

    /// Replaces the whole constituency; every item is validated before anything is written.
    @Sendable func replace(req: Request) async throws -> ConstituencyDTO {
        let team = try await DirectoryQueries.team(slug: req.parameters.get("team") ?? "", on: req.db)
        let teamID = try team.requireID()
        try req.policy.require(.editTeam(team: teamID))
        let items = try await ConstituencyNormaliser.normalise(try req.content.decode(ConstituencyDTO.self), on: req.db)
        try await req.db.writeTransaction { db in
            try await ConstituencyEntry.query(on: db).filter(\.$team.$id == teamID).delete()
            for (kind, value) in items {
                try await ConstituencyEntry(teamID: teamID, kind: kind, value: value).create(on: db)
            }
            try await AuditLog.record(
                "constituency.replace", targetType: "team", targetID: team.slug,
                summary: "\(team.shortName): constituency set to \(items.count) item(s)", caller: req.caller, on: db)
        }
        try await req.application.routingDirectory.rebuild(on: req.db)
        return ConstituencyDTO(try await ConstituencyEntry.query(on: req.db).filter(\.$team.$id == teamID).all())
    }

    @Sendable func add(req: Request) async throws -> Response {
        let team = try await DirectoryQueries.team(slug: req.parameters.get("team") ?? "", on: req.db)
        let teamID = try team.requireID()
        try req.policy.require(.editTeam(team: teamID))
        let (kind, value) = try await ConstituencyNormaliser.normalise(
            try req.content.decode(ConstituencyItemInput.self), on: req.db)
        if team.constituency.contains(where: { $0.kind == kind && $0.value == value }) {
            throw ConcordError(.conflict, "\(team.shortName) already lists \(value)")
        }
        try await req.db.writeTransaction { db in
            try await ConstituencyEntry(teamID: teamID, kind: kind, value: value).create(on: db)
            try await AuditLog.record(
                "constituency.add", targetType: "team", targetID: team.slug,
                summary: "\(team.shortName): added \(kind.rawValue) \(value)", caller: req.caller, on: db)
        }
        try await req.application.routingDirectory.rebuild(on: req.db)
        let entries = try await ConstituencyEntry.query(on: req.db).filter(\.$team.$id == teamID).all()
        return try await ConstituencyDTO(entries).encodeResponse(status: .created, for: req)
    }

    /// `DELETE …/constituency?kind=prefix&value=203.0.113.0/25`: the value as written or normalised.
    @Sendable func remove(req: Request) async throws -> HTTPStatus {
        let team = try await DirectoryQueries.team(slug: req.parameters.get("team") ?? "", on: req.db)
        try req.policy.require(.editTeam(team: team.requireID()))
        guard let kind = req.query[String.self, at: "kind"].flatMap(ConstituencyEntry.Kind.init(rawValue:)),
            let raw = req.query[String.self, at: "value"]
        else { throw ConcordError.invalid(field: "kind", "kind (prefix, asn, domain, economy) and value are required") }
        let (_, value) = try await ConstituencyNormaliser.normalise(
            ConstituencyItemInput(kind: kind, value: raw), on: req.db)
        guard let entry = team.constituency.first(where: { $0.kind == kind && $0.value == value }) else {
            throw ConcordError.notFound("constituency entry")
        }
        try await req.db.writeTransaction { db in
            try await entry.delete(on: db)
            try await AuditLog.record(
                "constituency.remove", targetType: "team", targetID: team.slug,
                summary: "\(team.shortName): removed \(kind.rawValue) \(value)", caller: req.caller, on: db)
        }
        try await req.application.routingDirectory.rebuild(on: req.db)
        return .noContent
    }
}
