import Fluent

/// Creates the annual report's editions, each kept whole as it was built.
struct CreateReportEditions: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(ReportEdition.schema)
            .id()
            .field(
                "reporting_year_id", .uuid, .required, .references(ReportingYear.schema, "id", onDelete: .cascade)
            )
            .field("number", .int, .required)
            .field("tlp", .string, .required)
            .field("cutoff", .datetime, .required)
            .field("made_at", .datetime, .required)
            .field("made_by", .string, .required)
            .field("inputs_sha256", .string, .required)
            .field("data_json", .string, .required)
            .field("html", .string, .required)
            .field("csv", .string, .required)
            .field("pdf", .data, .required)
            .unique(on: "reporting_year_id", "number")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(ReportEdition.schema).delete()
    }
}
