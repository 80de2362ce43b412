import Fluent

/// Adds `users.disabled_at`: when an administrator disabled the account. A disabled account logs
/// in nowhere: not at the login form, not with its API tokens or TAXII password, not with a session
/// it had open.
struct UpdateUserAddDisabledAt: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("users").field("disabled_at", .datetime).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("users").deleteField("disabled_at").update()
    }
}
