import Fluent
import FluentSQL

/// Adds `users.must_change_password`: set when Concord generated the password (the demo admin's
/// one-time password, `concord user create`), so that the first login with it must choose a new
/// one before anything else. Existing accounts keep their passwords (false).
struct UpdateUserAddMustChangePassword: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("users").field("must_change_password", .bool, .required, .sql(.default(false)))
            .update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("users").deleteField("must_change_password").update()
    }
}
