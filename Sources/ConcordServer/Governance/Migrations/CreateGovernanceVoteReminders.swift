import Fluent

/// Creates the reminders sent in votes between meetings: one row per vote and hour before the
/// close, written before its mail, so each reminder goes once whichever instance sends it.
struct CreateGovernanceVoteReminders: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(GovernanceVotes.remindersSchema)
            .field("vote_id", .uuid, .required, .references(GovernanceVote.schema, "id", onDelete: .cascade))
            .field("hours_before", .int, .required)
            .field("sent_at", .datetime, .required)
            .unique(on: "vote_id", "hours_before")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(GovernanceVotes.remindersSchema).delete()
    }
}
