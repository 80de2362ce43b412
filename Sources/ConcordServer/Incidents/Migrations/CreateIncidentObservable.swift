import Fluent

/// Creates `incident_observables`.
struct CreateIncidentObservable: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(IncidentObservable.schema)
            .id()
            .field("incident_id", .uuid, .required, .references(Incident.schema, "id", onDelete: .cascade))
            .field("kind", .string, .required)
            .field("value", .string, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(IncidentObservable.schema).delete()
    }
}
