import Fluent

/// Creates the general meetings, each with its reference, agenda, state and counters.
struct CreateGeneralMeetings: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(GeneralMeeting.schema)
            .id()
            .field("reference", .string, .required)
            .field("kind", .string, .required)
            .field("title", .string, .required)
            .field("starts_at", .datetime, .required)
            .field("time_zone", .string, .required)
            .field("location", .string, .required)
            .field("agenda", .string, .required)
            .field("state", .string, .required)
            .field("convened_at", .datetime, .required)
            .field("convened_by", .string, .required)
            .field("opened_at", .datetime)
            .field("closed_at", .datetime)
            .field("motions", .int, .required)
            .field("resolutions", .int, .required)
            .unique(on: "reference")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(GeneralMeeting.schema).delete()
    }
}
