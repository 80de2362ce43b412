import Fluent

/// Creates `acknowledgement_links`: one-time links in notification mail, whose tokens are derived, never stored.
struct CreateAcknowledgementLink: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(AcknowledgementLink.schema)
            .id()
            .field("assignment_id", .uuid, .required, .references(IncidentAssignment.schema, "id", onDelete: .cascade))
            .field("recipient", .string, .required)
            .field("expires_at", .datetime, .required)
            .field("used_at", .datetime)
            .field("created_at", .datetime)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(AcknowledgementLink.schema).delete()
    }
}
