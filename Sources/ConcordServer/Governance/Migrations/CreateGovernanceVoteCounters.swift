import Fluent

/// Creates the yearly counters of votes between meetings and of their resolutions (VOTE-2027-3,
/// VOTE-2027-R1): a proposal or a carried close bumps its year's row first in its transaction.
struct CreateGovernanceVoteCounters: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(GovernanceVotes.countersSchema)
            .field("year", .int, .identifier(auto: false))
            .field("votes", .int, .required)
            .field("resolutions", .int, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(GovernanceVotes.countersSchema).delete()
    }
}
