import Fluent

/// Lets an incident be merged into another as its duplicate: it stays a report, and is no longer
/// counted as an incident of its own.
struct UpdateIncidentAddDuplicateOf: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Incident.schema).field("duplicate_of_id", .uuid).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Incident.schema).deleteField("duplicate_of_id").update()
    }
}
