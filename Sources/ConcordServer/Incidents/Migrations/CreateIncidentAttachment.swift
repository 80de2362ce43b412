import Fluent

/// Creates `incident_attachments`.
struct CreateIncidentAttachment: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(IncidentAttachment.schema)
            .id()
            .field("incident_id", .uuid, .required, .references(Incident.schema, "id", onDelete: .cascade))
            .field("filename", .string, .required)
            .field("content_type", .string, .required)
            .field("size", .int64, .required)
            .field("sha256", .string, .required)
            .field("uploaded_by", .string, .required)
            .field("uploaded_at", .datetime, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(IncidentAttachment.schema).delete()
    }
}
