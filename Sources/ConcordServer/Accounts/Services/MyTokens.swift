import Fluent
import Foundation

/// A user's own API tokens, as the account page manages them: listed without their secrets (only
/// hashes are stored), created with a name, scopes and lifetime (the secret shown once), revoked.
/// Nobody reaches another user's tokens here: an id that is not the caller's is not found.
enum MyTokens {
    /// One token as its owner sees it.
    struct Line: Encodable, Sendable {
        let id: UUID
        let name: String
        let scopes: String
        let createdAt: Date?
        let expiresAt: Date?
        let lastUsedAt: Date?
        let expired: Bool
    }

    static func list(caller: Caller) async throws -> [Line] {
        let principal = try caller.requirePrincipal()
        let now = caller.clock.now()
        return try await APIToken.query(on: caller.db).filter(\.$user.$id == principal.userID)
            .sort(\.$createdAt, .descending).all().map { token in
                Line(
                    id: try token.requireID(), name: token.name, scopes: token.scopes, createdAt: token.createdAt,
                    expiresAt: token.expiresAt, lastUsedAt: token.lastUsedAt,
                    expired: (token.expiresAt ?? .distantFuture) <= now)
            }
    }

    /// Creates a token for the caller and returns its secret, which is never stored.
    static func create(name: String, scopes: [String], expiresInDays: Int?, caller: Caller) async throws -> String {
        let principal = try caller.requirePrincipal()
        let (scopeSet, days) = try AccountService.tokenRequest(
            name: name, scopes: scopes, expiresInDays: expiresInDays)
        guard let user = try await User.find(principal.userID, on: caller.db) else {
            throw ConcordError.unauthenticated
        }
        let expiry = caller.clock.now().addingTimeInterval(Double(days) * 86_400)
        return try await caller.db.writeTransaction { db in
            let issued = try await TokenService.issue(
                for: user, name: name, scopes: scopeSet, expiresAt: expiry, on: db)
            try await AuditLog.record(
                "token.create", targetType: "user", targetID: user.email,
                summary:
                    "token '\(name)' (\(scopeSet.map(\.rawValue).sorted().joined(separator: ","))) for \(user.email)",
                caller: caller, on: db)
            return issued.secret
        }
    }

    /// Revokes one of the caller's tokens; returns its name.
    static func revoke(_ id: UUID?, caller: Caller) async throws -> String {
        let principal = try caller.requirePrincipal()
        guard let id,
            let token = try await APIToken.query(on: caller.db).filter(\.$id == id)
                .filter(\.$user.$id == principal.userID).first()
        else { throw ConcordError.notFound("token") }
        let name = token.name
        try await caller.db.writeTransaction { db in
            try await token.delete(on: db)
            try await AuditLog.record(
                "token.revoke", targetType: "user", targetID: principal.email, summary: "token '\(name)' revoked",
                caller: caller, on: db)
        }
        return name
    }
}
