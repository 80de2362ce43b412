import Fluent

/// Creates the record of which teams voted in an election: one row per team, no time, nothing that
/// names its ballot.
struct CreateElectionParticipations: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(ElectionParticipation.schema)
            .id()
            .field("election_id", .uuid, .required, .references(Election.schema, "id", onDelete: .cascade))
            .field("team_id", .uuid, .required, .references(Team.schema, "id", onDelete: .restrict))
            .unique(on: "election_id", "team_id")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(ElectionParticipation.schema).delete()
    }
}
