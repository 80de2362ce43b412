import Fluent

/// Creates the statistics summary's days: one row per UTC day it has counted, with the latest
/// time any of the day's incidents or assignments moved (a cut-off before it cannot use the day).
struct CreateStatisticsDays: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(StatisticsSummary.daysSchema)
            .field("day", .datetime, .required)
            .field("last_event_at", .datetime)
            .field("refreshed_at", .datetime, .required)
            .unique(on: "day")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(StatisticsSummary.daysSchema).delete()
    }
}
