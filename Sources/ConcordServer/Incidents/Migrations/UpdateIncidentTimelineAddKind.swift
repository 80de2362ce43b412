import Fluent
import FluentSQL

/// Adds `kind` to `incident_timeline`, so that people's comments stand apart from Concord's events.
struct UpdateIncidentTimelineAddKind: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(IncidentTimelineEntry.schema)
            .field("kind", .string, .required, .sql(.default("event")))
            .update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(IncidentTimelineEntry.schema).deleteField("kind").update()
    }
}
