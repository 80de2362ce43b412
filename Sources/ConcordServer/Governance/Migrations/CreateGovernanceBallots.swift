import Fluent

/// Creates the ballots of votes between meetings: one per team and vote.
struct CreateGovernanceBallots: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(GovernanceBallot.schema)
            .id()
            .field("vote_id", .uuid, .required, .references(GovernanceVote.schema, "id", onDelete: .cascade))
            .field("team_id", .uuid, .required, .references(Team.schema, "id", onDelete: .restrict))
            .field("choice", .string, .required)
            .field("channel", .string, .required)
            .field("signed", .bool, .required)
            .field("cast_by", .string, .required)
            .field("cast_at", .datetime, .required)
            .unique(on: "vote_id", "team_id")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(GovernanceBallot.schema).delete()
    }
}
