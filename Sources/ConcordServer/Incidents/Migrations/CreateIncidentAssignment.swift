import Fluent

/// Creates `incident_assignments`: one row per responsible team.
struct CreateIncidentAssignment: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(IncidentAssignment.schema)
            .id()
            .field("incident_id", .uuid, .required, .references(Incident.schema, "id", onDelete: .cascade))
            .field("team_id", .uuid, .required, .references(Team.schema, "id", onDelete: .restrict))
            .field("state", .string, .required)
            .field("escalations", .int, .required)
            .field("deadline", .datetime)
            .field("reasons", .string, .required)
            .field("decline_reason", .string)
            .field("updated_at", .datetime)
            .unique(on: "incident_id", "team_id")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(IncidentAssignment.schema).delete()
    }
}
