import Fluent

/// Adds `users.totp_last_step`: the RFC 6238 time step of the last code accepted, so that a code
/// (or an earlier one) cannot log in a second time (RFC 6238 §5.2).
struct UpdateUserAddTOTPLastStep: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("users").field("totp_last_step", .int64).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("users").deleteField("totp_last_step").update()
    }
}
