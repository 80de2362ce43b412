import Fluent
import SQLKit
import Vapor

/// Logs in the principal behind `Authorization: Bearer <token>` when the token exists and has not
/// expired. An unknown token leaves the request anonymous; the policy then answers 401.
struct BearerTokenAuthenticator: AsyncBearerAuthenticator {
    func authenticate(bearer: BearerAuthorization, for request: Request) async throws {
        if let principal = try await Self.principal(forToken: bearer.token, request: request) {
            request.auth.login(principal)
        }
    }

    /// The principal behind a token secret: nil when it is unknown, expired, or its user disabled.
    static func principal(forToken secret: String, request: Request) async throws -> Principal? {
        guard secret.hasPrefix("concord_"), secret.count < 100 else { return nil }
        guard
            let token = try await APIToken.query(on: request.db)
                .filter(\.$tokenHash == TokenService.hash(secret))
                .with(\.$user)
                .first()
        else { return nil }
        if let expiry = token.expiresAt, expiry <= request.application.clock.now() { return nil }
        guard token.user.disabledAt == nil else { return nil }  // a disabled account's tokens open nothing
        // When it was last used, for its owner (`GET /api/v1/me`): written at most once an hour, in
        // its turn with the other writers (on SQLite a bare write would wait for the lock outside
        // the queue), and a read never fails for it.
        let now = request.application.clock.now()
        if (token.lastUsedAt ?? .distantPast) < now.addingTimeInterval(-3600), let id = token.id {
            _ = try? await request.db.writeTransaction { db in
                guard let sql = db as? any SQLDatabase else { return }
                try await sql.update(APIToken.schema).set("last_used_at", to: now).where("id", .equal, id).run()
            }
        }
        // Failed logins never stop a token (LoginThrottle).
        return try await request.principal(of: token.user, scopes: token.scopeSet)
    }
}
