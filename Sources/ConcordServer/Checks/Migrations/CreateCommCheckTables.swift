import Fluent

/// Creates the communication-check tables: checks, their challenges, and schedules.
struct CreateCommCheckTables: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(CommCheckSchedule.schema)
            .id()
            .field("title", .string, .required)
            .field("every_days", .int, .required)
            .field("window_seconds", .int, .required)
            .field("next_at", .datetime, .required)
            .field("created_by", .uuid, .required)
            .create()
        try await database.schema(CommCheck.schema)
            .id()
            .field("title", .string, .required)
            .field("started_at", .datetime, .required)
            .field("window_seconds", .int, .required)
            .field("schedule_id", .uuid, .references(CommCheckSchedule.schema, "id", onDelete: .setNull))
            .field("created_by", .uuid, .required)
            .create()
        try await database.schema(CommChallenge.schema)
            .id()
            .field("check_id", .uuid, .required, .references(CommCheck.schema, "id", onDelete: .cascade))
            .field("team_id", .uuid, .required, .references("teams", "id"))
            .field("contact_id", .uuid)
            .field("kind", .string, .required)
            .field("channel", .string, .required)
            .field("address", .string, .required)
            .field("sent_at", .datetime, .required)
            .field("answered_at", .datetime)
            .field("answered_via", .string)
            .field("findings", .string, .required)
            .field("outbox_message_id", .uuid)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(CommChallenge.schema).delete()
        try await database.schema(CommCheck.schema).delete()
        try await database.schema(CommCheckSchedule.schema).delete()
    }
}
