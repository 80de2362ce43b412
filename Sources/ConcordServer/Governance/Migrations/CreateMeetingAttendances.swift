import Fluent

/// Creates the meetings' attendance: a team once per meeting, a holder's proxy slot once.
struct CreateMeetingAttendances: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(MeetingAttendance.schema)
            .id()
            .field("meeting_id", .uuid, .required, .references(GeneralMeeting.schema, "id", onDelete: .cascade))
            .field("team_id", .uuid, .required, .references(Team.schema, "id", onDelete: .restrict))
            .field("mode", .string, .required)
            .field("proxy_team_id", .uuid, .references(Team.schema, "id", onDelete: .restrict))
            .field("proxy_slot", .int)
            .field("checked_in_at", .datetime, .required)
            .field("checked_in_by", .string, .required)
            .unique(on: "meeting_id", "team_id")
            .unique(on: "meeting_id", "proxy_team_id", "proxy_slot")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(MeetingAttendance.schema).delete()
    }
}
