import ConcordCore
import Fluent
import Vapor

/// Sharing groups and the delivery log on the JSON API.
struct SharingController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("sharing-groups", use: groups)
        routes.post("sharing-groups", use: createGroup)
        routes.get("sharing", "deliveries", use: deliveries)
    }

    /// The groups the caller's team is in.
    @Sendable func groups(req: Request) async throws -> [SharingGroupDTO] {
        try req.policy.require(.readDirectory)
        let visible = try await SharingCollections.all(on: req.db).filter {
            $0.collection.kind == .group && req.policy.allows(.readCollection($0.access))
        }
        let slugs = try await Self.slugs(on: req.db)
        return visible.map { Self.dto($0, slugs) }
    }

    /// Creates a group of the named teams and the caller's own.
    @Sendable func createGroup(req: Request) async throws -> Response {
        try req.policy.require(.createSharingGroup)
        guard let principal = req.auth.get(Principal.self) else { throw ConcordError.unauthenticated }
        let input = try req.content.decode(SharingGroupInput.self)
        var validator = FieldValidator()
        let name = input.name.trimmingCharacters(in: .whitespacesAndNewlines)
        validator.check(!name.isEmpty && name.count <= 100, "name", "must be 1 to 100 characters")
        let teams = try await Team.query(on: req.db).filter(\.$slug ~~ input.teams).all()
        for (index, slug) in input.teams.enumerated() where !teams.contains(where: { $0.slug == slug }) {
            validator.fail("teams[\(index)]", "no team \(slug)")
        }
        let named = Set(try teams.map { try $0.requireID() })
        let members = principal.role.isForumWide ? named : named.union([principal.teamID])
        validator.check(members.count >= 2, "teams", "a group needs at least two teams")
        try validator.throwIfFailed()
        let group = SharingCollection(
            id: UUID(), kind: .group, teamID: nil, title: name,
            summary: input.description?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "")
        try await req.db.transaction { db in
            try await group.create(on: db)
            for team in members {
                let member = SharingGroupMember()
                member.$collection.id = try group.requireID()
                member.teamID = team
                try await member.create(on: db)
            }
            try await AuditLog.record(
                "sharing-group.create", targetType: "sharing-group", targetID: try group.requireID().uuidString,
                summary: "created sharing group \(name) of \(members.count) teams", request: req, on: db)
        }
        guard let created = try await SharingCollections.find(try group.requireID(), on: req.db) else {
            throw ConcordError.notFound("sharing group")
        }
        return try await Self.dto(created, try await Self.slugs(on: req.db)).encodeResponse(status: .created, for: req)
    }

    /// Who received the caller's team's objects, newest first (`?object=` narrows to one id).
    @Sendable func deliveries(req: Request) async throws -> [DeliveryDTO] {
        guard let principal = req.auth.get(Principal.self) else { throw ConcordError.unauthenticated }
        try req.policy.require(.readDeliveries(team: principal.teamID))
        let limit = min(max(req.query[Int.self, at: "limit"] ?? 200, 1), 1000)
        let rows = try await STIXDeliveryLog.deliveries(
            of: principal.teamID, stixID: req.query[String.self, at: "object"], limit: limit, on: req.db)
        let slugs = try await Self.slugs(on: req.db)
        let users = try await User.query(on: req.db).filter(\.$id ~~ Set(rows.map(\.row.recipientUserID))).all()
        let emails = Dictionary(uniqueKeysWithValues: users.compactMap { user in user.id.map { ($0, user.email) } })
        return rows.map {
            DeliveryDTO(
                object: $0.item.id, version: STIXTimestamp(microseconds: $0.item.version).description,
                label: $0.item.tlp, channel: $0.row.channel.rawValue, team: slugs[$0.row.recipientTeamID] ?? "?",
                user: emails[$0.row.recipientUserID] ?? "?", deliveredAt: $0.row.deliveredAt)
        }
    }

    /// Every team's slug by id.
    static func slugs(on database: any Database) async throws -> [UUID: String] {
        Dictionary(
            uniqueKeysWithValues: try await Team.query(on: database).all().compactMap { team in
                team.id.map { ($0, team.slug) }
            })
    }

    private static func dto(_ group: ResolvedCollection, _ slugs: [UUID: String]) -> SharingGroupDTO {
        SharingGroupDTO(
            id: group.id, name: group.collection.title, description: group.collection.summary,
            teams: group.access.teams.compactMap { slugs[$0] }.sorted(),
            taxii: "/taxii2/\(TAXIIController.rootName)/collections/\(group.id.uuidString.lowercased())/")
    }
}
