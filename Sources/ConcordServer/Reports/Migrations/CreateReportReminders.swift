import Fluent

/// Creates the reminders sent for a reporting year, one row each (30, 7, 1 days before).
struct CreateReportReminders: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(ReportReminder.schema)
            .id()
            .field(
                "reporting_year_id", .uuid, .required, .references(ReportingYear.schema, "id", onDelete: .cascade)
            )
            .field("team_id", .uuid, .required, .references("teams", "id", onDelete: .cascade))
            .field("days_before", .int, .required)
            .field("sent_at", .datetime, .required)
            .unique(on: "reporting_year_id", "team_id", "days_before")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(ReportReminder.schema).delete()
    }
}
