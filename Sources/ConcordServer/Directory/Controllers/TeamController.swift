import ConcordCore
import Fluent
import Vapor

/// `/api/v1/teams`: member teams, search, and status history.
struct TeamController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let teams = routes.grouped(.constant(Paths.teams))
        teams.get(use: list)
        teams.post(use: create)
        teams.get(":team", use: show)
        teams.patch(":team", use: update)
        teams.delete(":team", use: delete)
        teams.post(":team", .constant(Paths.status), use: changeStatus)
    }

    /// `?q=` searches names, and reads an IP, AS number or domain as a routing query;
    /// `?economy=` narrows to one economy (id or ISO code).
    @Sendable func list(req: Request) async throws -> [TeamSummaryDTO] {
        try req.policy.require(.readDirectory)
        let search = try await DirectorySearch.teams(
            matching: req.query[String.self, at: "q"], economy: req.query[String.self, at: "economy"], request: req)
        return try search.map(TeamSummaryDTO.init)
    }

    @Sendable func show(req: Request) async throws -> TeamDTO {
        try req.policy.require(.readDirectory)
        return try TeamDTO(
            try await DirectoryQueries.team(slug: req.parameters.get("team") ?? "", on: req.db), policy: req.policy)
    }

    @Sendable func create(req: Request) async throws -> Response {
        try req.policy.require(.manageTeams)
        let input = try req.content.decode(TeamInput.self)
        try input.validate(creating: true)
        let team = Team()
        team.status = .active
        team.internalNotes = ""
        try await TeamWriter.apply(input, to: team, on: req.db)
        try await req.db.writeTransaction { db in
            try await TeamWriter.ensureUniqueSlug(team, on: db)
            try await team.create(on: db)
            try await TeamStatusChange(
                teamID: team.requireID(), status: .active,
                effectiveOn: team.joinedOn ?? ISODate.string(req.application.clock.now()), note: "created"
            ).create(on: db)
            try await AuditLog.record(
                "team.create", targetType: "team", targetID: team.slug,
                summary: "created \(team.shortName)", request: req, on: db)
        }
        try await req.application.routingDirectory.rebuild(on: req.db)
        let dto = try TeamDTO(try await DirectoryQueries.team(slug: team.slug, on: req.db), policy: req.policy)
        return try await dto.encodeResponse(status: .created, for: req)
    }

    @Sendable func update(req: Request) async throws -> TeamDTO {
        let team = try await DirectoryQueries.team(slug: req.parameters.get("team") ?? "", on: req.db)
        try req.policy.require(.editTeam(team: team.requireID()))
        let input = try req.content.decode(TeamInput.self)
        try input.validate(creating: false)
        if input.slug != nil || input.category != nil || input.isSecretariat != nil || input.economy != nil {
            try req.policy.require(.manageTeams)
        }
        try await TeamWriter.apply(input, to: team, on: req.db)
        try await req.db.writeTransaction { db in
            try await TeamWriter.ensureUniqueSlug(team, on: db)
            try await team.save(on: db)
            try await AuditLog.record(
                "team.update", targetType: "team", targetID: team.slug,
                summary: "updated \(team.shortName)", request: req, on: db)
        }
        try await req.application.routingDirectory.rebuild(on: req.db)
        return try TeamDTO(try await DirectoryQueries.team(slug: team.slug, on: req.db), policy: req.policy)
    }

    @Sendable func delete(req: Request) async throws -> HTTPStatus {
        try req.policy.require(.manageTeams)
        let team = try await DirectoryQueries.team(slug: req.parameters.get("team") ?? "", on: req.db)
        let users = try await User.query(on: req.db).filter(\.$team.$id == team.requireID()).count()
        guard users == 0 else {
            throw ConcordError(.conflict, "\(team.shortName) still has \(users) user(s); record it as former instead")
        }
        let drills = try await DrillParticipant.query(on: req.db).filter(\.$teamID == team.requireID()).count()
        let checks = try await CommChallenge.query(on: req.db).filter(\.$teamID == team.requireID()).count()
        guard drills + checks == 0 else {
            throw ConcordError(
                .conflict, "\(team.shortName) took part in drills or communication checks; record it as former instead")
        }
        try await req.db.writeTransaction { db in
            try await team.delete(on: db)
            try await AuditLog.record(
                "team.delete", targetType: "team", targetID: team.slug,
                summary: "deleted \(team.shortName)", request: req, on: db)
        }
        try await req.application.routingDirectory.rebuild(on: req.db)
        return .noContent
    }

    @Sendable func changeStatus(req: Request) async throws -> TeamDTO {
        try req.policy.require(.manageTeams)
        let team = try await DirectoryQueries.team(slug: req.parameters.get("team") ?? "", on: req.db)
        let input = try req.content.decode(StatusInput.self)
        let status = try input.validated()
        let latest = team.statusHistory.map(\.effectiveOn).max() ?? ""
        try await req.db.writeTransaction { db in
            try await TeamStatusChange(
                teamID: team.requireID(), status: status,
                effectiveOn: input.effectiveOn, note: input.note ?? ""
            ).create(on: db)
            if input.effectiveOn >= latest {
                team.status = status
                try await team.save(on: db)
            }
            try await AuditLog.record(
                "team.status", targetType: "team", targetID: team.slug,
                summary: "\(team.shortName) \(status) from \(input.effectiveOn)", request: req, on: db)
        }
        try await req.application.routingDirectory.rebuild(on: req.db)
        return try TeamDTO(try await DirectoryQueries.team(slug: team.slug, on: req.db), policy: req.policy)
    }
}

/// Copies validated input onto a team, resolving the economy and category.
enum TeamWriter {
    static func apply(_ input: TeamInput, to team: Team, on db: any Database) async throws {
        if let slug = input.slug { team.slug = slug }
        if let value = input.shortName { team.shortName = value }
        if let value = input.fullName { team.fullName = value }
        team.hostOrganisation = input.hostOrganisation ?? (team.$hostOrganisation.value ?? "")
        if let key = input.economy {
            do { team.$economy.id = try await DirectoryQueries.economy(key, on: db).requireID() } catch {
                throw ConcordError.invalid(field: "economy", "unknown economy '\(key)'")
            }
        }
        if let slug = input.category {
            guard let category = try await MembershipCategory.query(on: db).filter(\.$slug == slug).first() else {
                throw ConcordError.invalid(field: "category", "unknown membership category '\(slug)'")
            }
            team.$category.id = try category.requireID()
        }
        if let value = input.joinedOn { team.joinedOn = value }
        if let value = input.mayVoteFrom { team.mayVoteFrom = value }
        if let value = input.website { team.website = value }
        team.businessHours = input.businessHours ?? (team.$businessHours.value ?? "Mon-Fri 09:00-17:00")
        team.timeZone = input.timeZone ?? (team.$timeZone.value ?? "UTC")
        if let minutes = input.acknowledgementMinutes { team.acknowledgementMinutes = minutes == 0 ? nil : minutes }
        team.teamDescription = input.description ?? (team.$teamDescription.value ?? "")
        team.isSecretariat = input.isSecretariat ?? (team.$isSecretariat.value ?? false)
        if let notes = input.internalNotes { team.internalNotes = notes }
        let profile = input.rfc2350 ?? RFC2350DTO()
        if let value = profile.updatedOn { team.rfc2350UpdatedOn = value }
        team.rfc2350Distribution = profile.distribution ?? (team.$rfc2350Distribution.value ?? "")
        team.rfc2350Authenticity = profile.authenticity ?? (team.$rfc2350Authenticity.value ?? "")
        team.rfc2350Constituency = profile.constituency ?? (team.$rfc2350Constituency.value ?? "")
        team.rfc2350Sponsorship = profile.sponsorship ?? (team.$rfc2350Sponsorship.value ?? "")
        team.rfc2350Authority = profile.authority ?? (team.$rfc2350Authority.value ?? "")
        team.rfc2350Policies = profile.policies ?? (team.$rfc2350Policies.value ?? "")
        team.rfc2350Services = profile.services ?? (team.$rfc2350Services.value ?? "")
        team.rfc2350ReportingForms = profile.reportingForms ?? (team.$rfc2350ReportingForms.value ?? "")
    }

    static func ensureUniqueSlug(_ team: Team, on db: any Database) async throws {
        var query = Team.query(on: db).filter(\.$slug == team.slug)
        if let id = team.id { query = query.filter(\.$id != id) }
        if try await query.count() > 0 {
            throw ConcordError(.conflict, "a team with slug '\(team.slug)' exists already")
        }
    }
}
