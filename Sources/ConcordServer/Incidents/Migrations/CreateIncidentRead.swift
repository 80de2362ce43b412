import Fluent

/// Creates `incident_reads`: one row per user and incident opened.
struct CreateIncidentRead: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(IncidentRead.schema)
            .id()
            .field("incident_id", .uuid, .required, .references(Incident.schema, "id", onDelete: .cascade))
            .field("user_id", .uuid, .required, .references(User.schema, "id", onDelete: .cascade))
            .field("read_at", .datetime, .required)
            .unique(on: "incident_id", "user_id")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(IncidentRead.schema).delete()
    }
}
