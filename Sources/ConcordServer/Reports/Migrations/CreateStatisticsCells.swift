import Fluent
import SQLKit

/// Creates the statistics summary's counts: per UTC day, TLP label and RSIT taxonomy, how many
/// reports, incidents, coordinated and cross-border cases and escalations; per day and label, how
/// many assignments took each step of the times' grid to be acknowledged or resolved.
struct CreateStatisticsCells: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(StatisticsSummary.cellsSchema)
            .field("day", .datetime, .required)
            .field("tlp", .string, .required)
            .field("taxonomy", .string, .required)
            .field("measure", .string, .required)
            .field("step", .int64, .required)
            .field("n", .int64, .required)
            .create()
        if let sql = database as? any SQLDatabase {
            try await sql.create(index: "statistics_cells_by_day").on(StatisticsSummary.cellsSchema).column("day").run()
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema(StatisticsSummary.cellsSchema).delete()
    }
}
