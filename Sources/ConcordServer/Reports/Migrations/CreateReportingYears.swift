import Fluent

/// Creates the secretariat's reporting years, each with its deadline and chair's message.
struct CreateReportingYears: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(ReportingYear.schema)
            .id()
            .field("year", .int, .required)
            .field("start_month", .int, .required)
            .field("deadline", .datetime, .required)
            .field("opened_at", .datetime, .required)
            .field("opened_by", .string, .required)
            .field("chair_message", .string, .required)
            .unique(on: "year")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(ReportingYear.schema).delete()
    }
}
