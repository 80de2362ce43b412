import Fluent

/// Creates `outbox_messages`: the durable outbox of e-mail and webhook notifications.
struct CreateOutboxMessage: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(OutboxMessage.schema)
            .id()
            .field("incident_id", .uuid, .references(Incident.schema, "id", onDelete: .cascade))
            .field("assignment_id", .uuid, .references(IncidentAssignment.schema, "id", onDelete: .setNull))
            .field("team_id", .uuid, .required, .references(Team.schema, "id", onDelete: .cascade))
            .field("contact_id", .uuid, .references(Contact.schema, "id", onDelete: .setNull))
            .field("channel", .string, .required)
            .field("purpose", .string, .required)
            .field("recipient", .string, .required)
            .field("message_id", .string, .required)
            .field("subject", .string, .required)
            .field("body", .string, .required)
            .field("acknowledgement_link_id", .uuid)
            .field("state", .string, .required)
            .field("attempts", .int, .required)
            .field("next_attempt_at", .datetime, .required)
            .field("lease_until", .datetime)
            .field("last_error", .string)
            .field("sent_at", .datetime)
            .field("encrypted", .bool)
            .field("created_at", .datetime)
            .unique(on: "message_id")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(OutboxMessage.schema).delete()
    }
}
