import Fluent

/// `job_leases`: which instance runs each periodic job, and until when (seconds since 1970 by the
/// database's clock, so instances whose host clocks differ still agree).
struct CreateJobLease: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(JobLease.table)
            .field("name", .string, .identifier(auto: false))
            .field("holder", .string, .required)
            .field("lease_until", .double, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(JobLease.table).delete()
    }
}
