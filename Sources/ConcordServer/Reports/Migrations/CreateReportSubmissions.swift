import Fluent

/// Creates each member team's submission to a reporting year.
struct CreateReportSubmissions: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(ReportSubmission.schema)
            .id()
            .field(
                "reporting_year_id", .uuid, .required, .references(ReportingYear.schema, "id", onDelete: .cascade)
            )
            .field("team_id", .uuid, .required, .references("teams", "id", onDelete: .cascade))
            .field("state", .string, .required)
            .field("start_month", .int, .required)
            .field("counts", .string)
            .field("alerts", .int)
            .field("advisories", .int)
            .field("trainings", .int)
            .field("events", .int)
            .field("about", .string, .required)
            .field("activities", .string, .required)
            .field("future_plans", .string, .required)
            .field("return_comment", .string)
            .field("version", .int, .required)
            .field("updated_at", .datetime)
            .field("updated_by", .string)
            .field("submitted_at", .datetime)
            .field("decided_at", .datetime)
            .field("decided_by", .string)
            .unique(on: "reporting_year_id", "team_id")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(ReportSubmission.schema).delete()
    }
}
