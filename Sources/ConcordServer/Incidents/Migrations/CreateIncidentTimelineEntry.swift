import Fluent

/// Creates `incident_timeline`.
struct CreateIncidentTimelineEntry: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(IncidentTimelineEntry.schema)
            .id()
            .field("incident_id", .uuid, .required, .references(Incident.schema, "id", onDelete: .cascade))
            .field("at", .datetime, .required)
            .field("actor", .string, .required)
            .field("text", .string, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(IncidentTimelineEntry.schema).delete()
    }
}
