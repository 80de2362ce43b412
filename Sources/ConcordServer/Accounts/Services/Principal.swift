import Vapor

/// Who is making a request: a user through a web session (all of the role's rights) or through an
/// API token (limited further by the token's scopes).
struct Principal: Authenticatable, Sendable, Equatable {
    let userID: UUID
    let email: String
    let teamID: UUID
    let role: Role
    /// The token's scopes; nil for a web session.
    let scopes: Set<TokenScope>?
    /// The teams with national responsibility for the economy of the principal's team (other than
    /// the team itself): the principal is their constituent, and TLP:AMBER shared with them reaches it.
    var nationalTeams: Set<UUID> = []

    func has(_ scope: TokenScope) -> Bool { scopes?.contains(scope) ?? true }
}

extension Request {
    /// The principal acting as `user`, with the national teams whose constituent its team is (from
    /// the routing snapshot, so without a query).
    func principal(of user: User, scopes: Set<TokenScope>?) async throws -> Principal {
        let snapshot = try await application.routingDirectory.current(on: db)
        let team = user.$team.id
        return Principal(
            userID: try user.requireID(), email: user.email, teamID: team, role: user.role, scopes: scopes,
            nationalTeams: snapshot.nationalTeamsOf[team] ?? [])
    }
}
