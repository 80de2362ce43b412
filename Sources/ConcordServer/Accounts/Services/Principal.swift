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

    func has(_ scope: TokenScope) -> Bool { scopes?.contains(scope) ?? true }
}
