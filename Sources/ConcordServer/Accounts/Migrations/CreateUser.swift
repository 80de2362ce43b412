import Fluent

/// Creates `users`: people, their team, role, password hash and lock-out state.
struct CreateUser: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(User.schema)
            .id()
            .field("email", .string, .required)
            .field("display_name", .string, .required)
            .field("team_id", .uuid, .required, .references(Team.schema, "id", onDelete: .restrict))
            .field("role", .string, .required)
            .field("password_hash", .string, .required)
            .field("failed_logins", .int, .required)
            .field("locked_until", .datetime)
            .field("totp_secret", .string)
            .field("created_at", .datetime)
            .unique(on: "email")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(User.schema).delete()
    }
}
