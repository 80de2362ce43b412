import Fluent

/// Creates the votes between meetings, each with its periods, roll, quorum check and judgement.
struct CreateGovernanceVotes: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(GovernanceVote.schema)
            .id()
            .field("reference", .string, .required)
            .field("kind", .string, .required)
            .field("title", .string, .required)
            .field("text", .string, .required)
            .field("time_zone", .string, .required)
            .field("state", .string, .required)
            .field("proposed_at", .datetime, .required)
            .field("proposed_by", .string, .required)
            .field("opens_at", .datetime, .required)
            .field("closes_at", .datetime, .required)
            .field("opened_at", .datetime)
            .field("closed_at", .datetime)
            .field("roll", .string)
            .field("roll_sha256", .string)
            .field("quorum", .string)
            .field("judgement", .string)
            .field("resolution", .string)
            .unique(on: "reference")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(GovernanceVote.schema).delete()
    }
}
