import Fluent

/// Creates the meetings' motions and amendments, each with the quorum it opened with and its judgement.
struct CreateMotions: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Motion.schema)
            .id()
            .field("meeting_id", .uuid, .required, .references(GeneralMeeting.schema, "id", onDelete: .cascade))
            .field("reference", .string, .required)
            .field("kind", .string, .required)
            .field("title", .string, .required)
            .field("text", .string, .required)
            .field("mover_team_id", .uuid, .required, .references(Team.schema, "id", onDelete: .restrict))
            .field("seconder_team_id", .uuid, .references(Team.schema, "id", onDelete: .restrict))
            .field("amends_id", .uuid, .references(Motion.schema, "id", onDelete: .cascade))
            .field("state", .string, .required)
            .field("proposed_at", .datetime, .required)
            .field("opened_at", .datetime)
            .field("closed_at", .datetime)
            .field("present_at_opening", .int)
            .field("voting_members_at_opening", .int)
            .field("quorum_at_opening", .int)
            .field("roll", .string)
            .field("judgement", .string)
            .field("resolution", .string)
            .unique(on: "reference")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Motion.schema).delete()
    }
}
