import ConcordCore
import Fluent
import Vapor

/// Writes the directory's teams: creation, changes, deletion and status changes. Each change and
/// its audit line are one transaction; the routing snapshot is rebuilt after it (every instance
/// sees the directory's revision move). The policy is asked first, once: the input is an
/// autoclosure read only after it allows the change, so a refused caller is answered 403 whatever
/// body it sent.
enum TeamService {
    /// A new active team, its first status line dated its joining (or today).
    static func create(_ readInput: @autoclosure () throws -> TeamInput, caller: Caller) async throws -> Team {
        try caller.policy.require(.manageTeams)
        let input = try readInput()
        try input.validate(creating: true)
        let team = Team()
        team.status = .active
        team.internalNotes = ""
        try await TeamWriter.apply(input, to: team, on: caller.db)
        let joined = team.joinedOn ?? ISODate.string(caller.clock.now())
        try await caller.db.writeTransaction { db in
            try await TeamWriter.ensureUniqueSlug(team, on: db)
            try await team.create(on: db)
            try await TeamStatusChange(teamID: team.requireID(), status: .active, effectiveOn: joined, note: "created")
                .create(on: db)
            try await AuditLog.record(
                "team.create", targetType: "team", targetID: team.slug, summary: "created \(team.shortName)",
                caller: caller, on: db)
        }
        try await caller.app.routingDirectory.rebuild(on: caller.db)
        return team
    }

    /// Changes a team; its slug, category, economy and secretariat flag only by the forum's managers.
    static func update(slug: String, with readInput: @autoclosure () throws -> TeamInput, caller: Caller)
        async throws -> Team
    {
        let team = try await DirectoryQueries.team(slug: slug, on: caller.db)
        try caller.policy.require(.editTeam(team: team.requireID()))
        let input = try readInput()
        try input.validate(creating: false)
        if input.slug != nil || input.category != nil || input.isSecretariat != nil || input.economy != nil {
            try caller.policy.require(.manageTeams)
        }
        try await TeamWriter.apply(input, to: team, on: caller.db)
        try await caller.db.writeTransaction { db in
            try await TeamWriter.ensureUniqueSlug(team, on: db)
            try await team.save(on: db)
            try await AuditLog.record(
                "team.update", targetType: "team", targetID: team.slug, summary: "updated \(team.shortName)",
                caller: caller, on: db)
        }
        try await caller.app.routingDirectory.rebuild(on: caller.db)
        return team
    }

    /// Deletes a team that never had users, drills or checks (one that did is recorded as former).
    static func delete(slug: String, caller: Caller) async throws {
        try caller.policy.require(.manageTeams)
        let team = try await DirectoryQueries.team(slug: slug, on: caller.db)
        let users = try await User.query(on: caller.db).filter(\.$team.$id == team.requireID()).count()
        guard users == 0 else {
            throw ConcordError(.conflict, "\(team.shortName) still has \(users) user(s); record it as former instead")
        }
        let drills = try await DrillParticipant.query(on: caller.db).filter(\.$teamID == team.requireID()).count()
        let checks = try await CommChallenge.query(on: caller.db).filter(\.$teamID == team.requireID()).count()
        guard drills + checks == 0 else {
            throw ConcordError(
                .conflict, "\(team.shortName) took part in drills or communication checks; record it as former instead")
        }
        try await caller.db.writeTransaction { db in
            try await team.delete(on: db)
            try await AuditLog.record(
                "team.delete", targetType: "team", targetID: team.slug, summary: "deleted \(team.shortName)",
                caller: caller, on: db)
        }
        try await caller.app.routingDirectory.rebuild(on: caller.db)
    }

    /// A dated status line; the team's status follows when it is the newest line.
    static func changeStatus(slug: String, to readInput: @autoclosure () throws -> StatusInput, caller: Caller)
        async throws -> Team
    {
        try caller.policy.require(.manageTeams)
        let team = try await DirectoryQueries.team(slug: slug, on: caller.db)
        let input = try readInput()
        let status = try input.validated()
        let latest = team.statusHistory.map(\.effectiveOn).max() ?? ""
        try await caller.db.writeTransaction { db in
            try await TeamStatusChange(
                teamID: team.requireID(), status: status, effectiveOn: input.effectiveOn, note: input.note ?? ""
            ).create(on: db)
            if input.effectiveOn >= latest {
                team.status = status
                try await team.save(on: db)
            }
            try await AuditLog.record(
                "team.status", targetType: "team", targetID: team.slug,
                summary: "\(team.shortName) \(status) from \(input.effectiveOn)", caller: caller, on: db)
        }
        try await caller.app.routingDirectory.rebuild(on: caller.db)
        return team
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
