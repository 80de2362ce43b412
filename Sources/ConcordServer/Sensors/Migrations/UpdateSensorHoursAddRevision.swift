import Fluent

/// Adds `sensor_hours.revision`: the stored-hours revision (`CacheRevision.sensorHours`) of the
/// upload that last wrote the hour, so the dashboard's aggregation knows which days changed since
/// it last looked (`SensorOverviewCache`) and computes only those. Hours stored before keep 0.
struct UpdateSensorHoursAddRevision: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("sensor_hours").field("revision", .int64, .required, .sql(.default(0))).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("sensor_hours").deleteField("revision").update()
    }
}
