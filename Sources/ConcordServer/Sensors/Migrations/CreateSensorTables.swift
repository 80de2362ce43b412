import Fluent

/// Creates `sensors`, `sensor_uploads` (one row per upload id, for idempotency) and `sensor_hours`
/// (one row per sensor and hour).
struct CreateSensorTables: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Sensor.schema)
            .id()
            .field("team_id", .uuid, .required, .references(Team.schema, "id", onDelete: .cascade))
            .field("name", .string, .required)
            .field("prefix", .string, .required)
            .field("location", .string, .required)
            .field("token_hash", .string, .required)
            .field("created_at", .datetime, .required)
            .field("last_upload_at", .datetime)
            .unique(on: "token_hash")
            .unique(on: "team_id", "name")
            .create()
        try await database.schema(SensorUpload.schema)
            .id()
            .field("sensor_id", .uuid, .required, .references(Sensor.schema, "id", onDelete: .cascade))
            .field("upload_id", .uuid, .required)
            .field("received_at", .datetime, .required)
            .field("hours", .int, .required)
            .unique(on: "sensor_id", "upload_id")
            .create()
        try await database.schema(SensorHour.schema)
            .id()
            .field("sensor_id", .uuid, .required, .references(Sensor.schema, "id", onDelete: .cascade))
            .field("hour", .int64, .required)
            .field("packets", .int64, .required)
            .field("sources", .int64, .required)
            .field("aggregate", .string, .required)
            .unique(on: "sensor_id", "hour")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(SensorHour.schema).delete()
        try await database.schema(SensorUpload.schema).delete()
        try await database.schema(Sensor.schema).delete()
    }
}
