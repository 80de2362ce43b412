import ConcordCore
import Fluent
import Vapor

/// Sharing groups and the delivery log on the JSON API.
struct SharingController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        typealias P = Paths.Sharing
        routes.get(.constant(P.groups), use: groups)
        routes.post(.constant(P.groups), use: createGroup)
        routes.get(.constant(P.sharing), .constant(P.deliveries), use: deliveries)
        routes.post(.constant(P.sharing), .constant(P.feedEvents), use: shareFeedEvents)
    }

    /// What sharing feed events did.
    struct FeedEventsShared: Content {
        let events: Int
        /// Events without an observable source, or above GREEN for the forum's collection.
        let skipped: Int
        let objects: Int
        let collection: UUID
    }

    /// Shares the caller's team's bulk-feed events (`?feed=` one feed, `?limit=`, newest first, at
    /// most 10,000) as STIX observed data in `?collection=` (default: the team's own), each under
    /// the TLP its feed was imported with.
    @Sendable func shareFeedEvents(req: Request) async throws -> Response {
        guard let principal = req.auth.get(Principal.self) else { throw ConcordError.unauthenticated }
        try req.policy.require(.reportIncident)
        let target = req.query[UUID.self, at: "collection"] ?? principal.teamID
        guard let collection = try await SharingCollections.find(target, on: req.db),
            req.policy.allows(.readCollection(collection.access))
        else { throw ConcordError.notFound("collection") }
        try req.policy.require(.writeCollection(collection.access))
        guard let team = try await Team.find(principal.teamID, on: req.db) else { throw ConcordError.forbidden }
        let author = try IncidentSTIXDocument.identity(of: team)
        let limit = min(max(req.query[Int.self, at: "limit"] ?? 1000, 1), 10_000)
        let query = StoredFeedEvent.query(on: req.db).filter(\.$teamID == principal.teamID)
        if let feed = req.query[String.self, at: "feed"] { query.filter(\.$feedName == feed) }
        let events = try await query.sort(\.$receivedAt, .descending).limit(limit).all()
        let imports = try await FeedImport.query(on: req.db).filter(\.$id ~~ Set(events.map(\.importID))).all()
        let labels = Dictionary(uniqueKeysWithValues: imports.compactMap { row in row.id.map { ($0, row.tlp) } })
        // The team's identity is its name, public anyway: marked CLEAR, so it may go anywhere.
        var identity = author
        identity["object_marking_refs"] = [.string(TLPMarking.id(of: .clear))]
        var objects: [JSONValue] = [.object(identity)]
        var shared = 0
        var skipped = 0
        for event in events {
            let label = labels[event.importID] ?? .amber
            let made = FeedEventSTIX.objects(of: event, label: label, author: author["id"] ?? .null)
            // The forum-wide collection takes CLEAR and GREEN only; AMBER events stay out of it.
            guard !made.isEmpty, collection.access.kind != .forum || label <= .green else {
                skipped += 1
                continue
            }
            objects += made.map(JSONValue.object)
            shared += 1
        }
        let chosen = objects
        let outcome = try await req.db.writeTransaction { db in
            let outcome = try await STIXIngest.add(
                chosen, to: collection, by: .init(principal), defaultLabel: nil, on: db,
                now: req.application.clock.now())
            if let failure = outcome.failures.first {
                throw ConcordError(.conflict, "\(failure.id): \(failure.message ?? "refused")")
            }
            return outcome
        }
        return try await FeedEventsShared(
            events: shared, skipped: skipped, objects: outcome.successes.count, collection: target
        )
        .encodeResponse(status: .created, for: req)
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
            summary: input.description?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "",
            createdAt: req.application.clock.now())
        try await req.db.writeTransaction { db in
            try await group.create(on: db)
            for team in members {
                let member = SharingGroupMember()
                member.$collection.id = try group.requireID()
                member.teamID = team
                try await member.create(on: db)
            }
            try await AuditLog.record(
                "sharing-group.create", targetType: "sharing-group", targetID: try group.requireID().uuidString,
                summary: "created sharing group \(name) of \(members.count) teams", caller: req.caller, on: db)
        }
        guard let created = try await SharingCollections.find(try group.requireID(), on: req.db) else {
            throw ConcordError.notFound("sharing group")
        }
        return try await Self.dto(created, try await Self.slugs(on: req.db)).encodeResponse(status: .created, for: req)
    }

    /// Who received the caller's team's objects, newest first (`?object=` narrows to one id).
    @Sendable func deliveries(req: Request) async throws -> [DeliveryDTO] {
        guard let principal = req.auth.get(Principal.self) else { throw ConcordError.unauthenticated }
        let limit = min(max(req.query[Int.self, at: "limit"] ?? 200, 1), 1000)
        return try await Self.deliveries(
            of: principal, object: req.query[String.self, at: "object"], limit: limit, request: req)
    }

    /// The delivery log of the principal's team, as the API and the sharing page show it.
    static func deliveries(of principal: Principal, object: String?, limit: Int, request req: Request) async throws
        -> [DeliveryDTO]
    {
        try req.policy.require(.readDeliveries(team: principal.teamID))
        let rows = try await STIXDeliveryLog.deliveries(of: principal.teamID, stixID: object, limit: limit, on: req.db)
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
            taxii: Paths.Sharing.taxiiCollection(root: TAXIIController.rootName, id: group.id.uuidString.lowercased()))
    }
}
