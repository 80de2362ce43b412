import Fluent
import SQLKit

/// `general_meetings.elections`: the last election's number at the meeting (a counter row: each
/// election called takes the next in its own write, `AGM-2027-E2`).
struct AddMeetingElectionCounter: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(GeneralMeeting.schema)
            .field("elections", .int, .required, .sql(.default(0)))
            .update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(GeneralMeeting.schema).deleteField("elections").update()
    }
}
