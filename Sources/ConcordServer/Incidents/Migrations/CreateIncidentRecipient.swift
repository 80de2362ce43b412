import Fluent

/// Creates `incident_recipients`: the people a TLP:RED incident names.
struct CreateIncidentRecipient: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(IncidentRecipient.schema)
            .id()
            .field("incident_id", .uuid, .required, .references(Incident.schema, "id", onDelete: .cascade))
            .field("user_id", .uuid, .required, .references(User.schema, "id", onDelete: .cascade))
            .unique(on: "incident_id", "user_id")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(IncidentRecipient.schema).delete()
    }
}
