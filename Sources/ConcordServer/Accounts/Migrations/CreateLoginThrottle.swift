import Fluent

/// Creates `login_throttles`: failed logins counted per source address, per (address, account) and
/// per account, each with the moment until which its logins wait. Times are seconds since 1970
/// from the application's clock.
struct CreateLoginThrottle: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("login_throttles")
            .field("throttle_key", .string, .required)
            .field("failures", .int, .required)
            .field("last_failure_at", .double, .required)
            .field("blocked_until", .double)
            .unique(on: "throttle_key")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("login_throttles").delete()
    }
}
