import Vapor

/// The forum key for the command line (`concord forum-key`).
public enum ForumKeyAdministration {
    /// Creates the forum's signing key unless one exists; returns its fingerprint and whether it is new.
    public static func create(name: String, email: String, app: Application) async throws -> (String, Bool) {
        let key = ForumKey(app.concord, gnupg: app.gnupg)
        if let existing = try? await key.fingerprint() { return (existing, false) }
        let fingerprint = try await key.create(name: name, email: email)
        try await AuditLog.recordSystem(
            "forum-key.create", actor: "cli", targetType: "forum-key", targetID: fingerprint,
            summary: "created the forum's signing key", clock: app.clock, on: app.db)
        return (fingerprint, true)
    }

    /// The fingerprint and armoured public key.
    public static func show(app: Application) async throws -> (String, String) {
        let key = ForumKey(app.concord, gnupg: app.gnupg)
        return (try await key.fingerprint(), try await key.publicKey())
    }
}
