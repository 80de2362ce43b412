import Fluent

/// Gives each reporting year the counter its editions are numbered from (a write that starts the
/// edition's transaction, never "the largest number plus one").
struct UpdateReportingYearAddEditionCount: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(ReportingYear.schema).field("editions", .int, .required, .sql(.default(0))).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(ReportingYear.schema).deleteField("editions").update()
    }
}
