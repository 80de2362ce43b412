import Fluent

/// Creates `incidents`.
struct CreateIncident: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Incident.schema)
            .id()
            .field("number", .string, .required)
            .field("title", .string, .required)
            .field("description", .string, .required)
            .field("reporter_team_id", .uuid, .required, .references(Team.schema, "id", onDelete: .restrict))
            .field("reporter_user_id", .uuid, .required, .references(User.schema, "id", onDelete: .restrict))
            .field("taxonomy", .string, .required)
            .field("type", .string, .required)
            .field("severity", .string, .required)
            .field("tlp", .string, .required)
            .field("first_seen", .datetime)
            .field("reported_at", .datetime, .required)
            .field("closed_at", .datetime)
            .unique(on: "number")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Incident.schema).delete()
    }
}
