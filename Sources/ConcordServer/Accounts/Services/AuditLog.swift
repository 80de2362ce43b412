import Fluent
import Vapor

/// Writes the audit log. Call it inside the transaction of the change it records, so that a change
/// and its audit line are stored together or not at all. Summaries name things, never secrets.
enum AuditLog {
    /// Records an action of the request's principal.
    static func record(
        _ action: String, targetType: String, targetID: String?, summary: String, request: Request,
        on database: any Database
    ) async throws {
        let principal = request.auth.get(Principal.self)
        try await AuditEntry(
            at: Date(), actor: principal?.email ?? "anonymous", actorUserID: principal?.userID, action: action,
            targetType: targetType, targetID: targetID, summary: summary,
            remoteAddress: request.remoteAddress?.ipAddress
        ).create(on: database)
    }

    /// Records an action taken from the command line or by Concord itself.
    static func recordSystem(
        _ action: String, actor: String, targetType: String, targetID: String?, summary: String,
        on database: any Database
    ) async throws {
        try await AuditEntry(
            at: Date(), actor: actor, actorUserID: nil, action: action, targetType: targetType, targetID: targetID,
            summary: summary, remoteAddress: nil
        ).create(on: database)
    }
}
