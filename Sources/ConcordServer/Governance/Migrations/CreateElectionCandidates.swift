import Fluent

/// Creates the elections' candidates: one per team and election, with who nominated and seconded.
struct CreateElectionCandidates: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(ElectionCandidate.schema)
            .id()
            .field("election_id", .uuid, .required, .references(Election.schema, "id", onDelete: .cascade))
            .field("team_id", .uuid, .required, .references(Team.schema, "id", onDelete: .restrict))
            .field("holder", .string, .required)
            .field("statement", .string, .required)
            .field("nominated_by_team_id", .uuid, .required, .references(Team.schema, "id", onDelete: .restrict))
            .field("seconded_by_team_id", .uuid, .references(Team.schema, "id", onDelete: .restrict))
            .field("nominated_at", .datetime, .required)
            .field("withdrawn_at", .datetime)
            .unique(on: "election_id", "team_id")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(ElectionCandidate.schema).delete()
    }
}
