import Fluent

/// Creates `sensor_surge_scans` (one row per judged band) and `sensor_surge_alerts`.
struct CreateSurgeTables: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(SurgeScanRecord.schema)
            .id()
            .field("band_start", .int64, .required)
            .field("scanned_at", .datetime, .required)
            .field("alerts", .int, .required)
            .unique(on: "band_start")
            .create()
        try await database.schema(SurgeAlert.schema)
            .id()
            .field("band_start", .int64, .required)
            .field("band_hours", .int, .required)
            .field("ip_protocol", .int, .required)
            .field("port", .int, .required)
            .field("sources", .int, .required)
            .field("packets", .int64, .required)
            .field("baseline_median", .double, .required)
            .field("baseline_mad", .double, .required)
            .field("baseline_days", .int, .required)
            .field("score", .double, .required)
            .field("summary", .string, .required)
            .field("created_at", .datetime, .required)
            .unique(on: "band_start", "ip_protocol", "port")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(SurgeAlert.schema).delete()
        try await database.schema(SurgeScanRecord.schema).delete()
    }
}
