import Fluent

/// Creates the elections held at general meetings, each with its roll, lot and, once closed, board.
struct CreateElections: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Election.schema)
            .id()
            .field("reference", .string, .required)
            .field("meeting_id", .uuid, .required, .references(GeneralMeeting.schema, "id", onDelete: .restrict))
            .field("office", .string, .required)
            .field("seat_class", .int)
            .field("seats", .int, .required)
            .field("method", .string, .required)
            .field("title", .string, .required)
            .field("state", .string, .required)
            .field("nominations_close_at", .datetime, .required)
            .field("term_starts_on", .string, .required)
            .field("term_ends_on", .string, .required)
            .field("called_at", .datetime, .required)
            .field("called_by", .string, .required)
            .field("opened_at", .datetime)
            .field("closed_at", .datetime)
            .field("roll", .string)
            .field("roll_sha256", .string)
            .field("present_at_opening", .int)
            .field("voting_members_at_opening", .int)
            .field("lot", .string)
            .field("board", .string)
            .unique(on: "reference")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Election.schema).delete()
    }
}
