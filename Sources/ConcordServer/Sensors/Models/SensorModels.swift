import Fluent
import Foundation

/// A darknet sensor a team runs: what it watches, where, and the hash of the token it uploads with.
// @unchecked Sendable: see Economy.
final class Sensor: Model, @unchecked Sendable {
    static let schema = "sensors"

    @ID(key: .id) var id: UUID?
    @Parent(key: "team_id") var team: Team
    @Field(key: "name") var name: String
    /// The darknet prefix it monitors, e.g. `203.0.113.0/24`.
    @Field(key: "prefix") var prefix: String
    @Field(key: "location") var location: String
    /// SHA-256 of the upload token (`sensor_…`); the token itself is shown once.
    @Field(key: "token_hash") var tokenHash: String
    @Field(key: "created_at") var createdAt: Date
    @OptionalField(key: "last_upload_at") var lastUploadAt: Date?

    init() {}
}

/// One upload a sensor made, by the id the agent chose: the hub takes each id once.
// @unchecked Sendable: see Economy.
final class SensorUpload: Model, @unchecked Sendable {
    static let schema = "sensor_uploads"

    @ID(key: .id) var id: UUID?
    @Parent(key: "sensor_id") var sensor: Sensor
    @Field(key: "upload_id") var uploadID: UUID
    @Field(key: "received_at") var receivedAt: Date
    @Field(key: "hours") var hours: Int

    init() {}
}

/// One sensor's aggregate of one hour (uploads of the same hour merge into it), with its totals in
/// columns for the dashboards.
// @unchecked Sendable: see Economy.
final class SensorHour: Model, @unchecked Sendable {
    static let schema = "sensor_hours"

    @ID(key: .id) var id: UUID?
    @Parent(key: "sensor_id") var sensor: Sensor
    /// The hour's start in seconds since 1970.
    @Field(key: "hour") var hour: Int64
    @Field(key: "packets") var packets: Int64
    @Field(key: "sources") var sources: Int64
    /// `HourlyAggregate` in its JSON wire form.
    @Field(key: "aggregate") var aggregate: String
    /// The stored-hours revision of the upload that last wrote this hour (0 before there was one).
    @Field(key: "revision") var revision: Int64

    init() {}
}
