import Fluent
import SQLKit

/// Creates the secret ballots of elections while they are open: a tracking code (the key), the
/// election's reference and the choices, and nothing else: no team, no time, no sequence. On
/// SQLite the table has no rowid (`WITHOUT ROWID`), so its rows are kept in the codes' order and
/// not in the order they were cast. At the close the ballots move to the board and the rows go.
struct CreateElectionBallots: AsyncMigration {
    static let schema = "election_ballots"

    func prepare(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        let withoutRowID = sql.dialect.name == "sqlite" ? " WITHOUT ROWID" : ""
        try await sql.raw(
            """
            CREATE TABLE \(ident: Self.schema) (
                tracking_code TEXT NOT NULL PRIMARY KEY,
                election TEXT NOT NULL,
                choices TEXT NOT NULL
            )\(unsafeRaw: withoutRowID)
            """
        ).run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Self.schema).delete()
    }
}
