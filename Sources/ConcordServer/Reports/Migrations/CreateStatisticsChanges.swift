import Fluent
import Foundation
import SQLKit

/// Creates the statistics summary's change marks: a row per write to an incident or an
/// assignment, naming the UTC day the incident was reported on (no day: every day). The marks are
/// only added to, so writers never wait on each other for them; a refresh removes the ones it saw.
/// The incidents already stored are marked at once, so nothing counts from an empty summary.
struct CreateStatisticsChanges: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(StatisticsSummary.changesSchema)
            .id()
            .field("day", .datetime)
            .create()
        if let sql = database as? any SQLDatabase {
            try await sql.create(index: "statistics_changes_by_day").on(StatisticsSummary.changesSchema).column("day")
                .run()
            try await sql.insert(into: StatisticsSummary.changesSchema).columns("id", "day")
                .values(SQLBind(UUID()), SQLLiteral.null).run()
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema(StatisticsSummary.changesSchema).delete()
    }
}
