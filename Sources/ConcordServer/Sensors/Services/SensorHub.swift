import ConcordCore
import Fluent
import Foundation
import SQLKit
import Vapor

/// The upload travels as JSON in and out of Vapor.
extension SensorUploadPayload: Content {}

/// The hub's answer to an upload.
struct SensorUploadReceipt: Content {
    let id: UUID
    /// Hours merged by this upload (0 when it was a repeat).
    let hours: Int
    /// True when the hub had taken this upload id before and changed nothing.
    let duplicate: Bool
}

/// Registers sensors and takes their uploads. An upload is taken once per id, in one transaction:
/// a retry after a lost answer changes nothing, and a half-stored upload cannot happen. Hours that
/// arrive in several uploads merge (`HourlyAggregate.merged`).
enum SensorHub {
    /// The most hours one upload may carry (three months).
    static let maximumHours = 24 * 92

    /// Creates a sensor for `team` and returns it with its upload token, which is not stored.
    static func register(
        team: Team, name: String, prefix: String, location: String, caller: Caller
    ) async throws -> (sensor: Sensor, token: String) {
        var validator = FieldValidator()
        let name = name.trimmingCharacters(in: .whitespaces)
        validator.check(!name.isEmpty && name.count <= 100, "name", "must be 1 to 100 characters")
        let parsed = IPPrefix(prefix)
        validator.check(parsed != nil, "prefix", "must be the darknet's prefix, e.g. 203.0.113.0/24")
        if let parsed {
            let shortest = parsed.address.family == .v4 ? 8 : 32
            validator.check(
                parsed.length >= shortest, "prefix",
                "a darknet is at most a /\(shortest) (\(parsed) would claim a large part of the address space)")
        }
        try validator.throwIfFailed()
        let teamID = try team.requireID()
        if try await Sensor.query(on: caller.db).filter(\.$team.$id == teamID).filter(\.$name == name).count() > 0 {
            throw ConcordError(.conflict, "\(team.shortName) has a sensor named \(name)")
        }
        let token = TokenService.randomSecret(prefix: "sensor_")
        let sensor = Sensor()
        sensor.$team.id = teamID
        sensor.name = name
        sensor.prefix = parsed?.description ?? prefix
        sensor.location = location.trimmingCharacters(in: .whitespaces)
        sensor.tokenHash = TokenService.hash(token)
        sensor.createdAt = caller.clock.now()
        guard let claimed = parsed else { throw ConcordError.invalid(field: "prefix", "must be the darknet's prefix") }
        try await caller.db.writeTransaction { db in
            try await CacheRevision.sensors.bump(on: db)  // first: registrations take turns
            let taken = try await Sensor.query(on: db).all().first { other in
                IPPrefix(other.prefix).map { $0.contains(claimed) || claimed.contains($0) } == true
            }
            if let taken {
                throw ConcordError.invalid(
                    field: "prefix", "\(claimed) overlaps \(taken.prefix), which another sensor already watches")
            }
            try await sensor.create(on: db)
            try await AuditLog.record(
                "sensor.create", targetType: "sensor", targetID: sensor.id?.uuidString,
                summary: "\(team.shortName): \(name) watching \(sensor.prefix)", caller: caller, on: db)
        }
        return (sensor, token)
    }

    /// The sensor whose token this is, or nil.
    static func sensor(token: String, on db: any Database) async throws -> Sensor? {
        guard token.hasPrefix("sensor_"), token.count < 100 else { return nil }
        return try await Sensor.query(on: db).filter(\.$tokenHash == TokenService.hash(token)).first()
    }

    /// Stores an upload once; answers what it did.
    static func receive(_ upload: SensorUploadPayload, from sensor: Sensor, at now: Date, on db: any Database)
        async throws
        -> SensorUploadReceipt
    {
        guard upload.hours.count <= maximumHours else {
            throw ConcordError.invalid(field: "hours", "at most \(maximumHours) hours per upload")
        }
        guard Set(upload.hours.map(\.hour)).count == upload.hours.count else {
            throw ConcordError.invalid(field: "hours", "each hour at most once per upload")
        }
        let sensorID = try sensor.requireID()
        return try await db.writeTransaction { db in
            // First the revision: its row lock orders uploads (a retry waits for the first and then
            // sees it), and each hour written says which upload wrote it last
            // (`SensorOverviewCache` recomputes the days whose hours moved).
            let revision = try await CacheRevision.sensorHours.bump(on: db)
            let seen = try await SensorUpload.query(on: db).filter(\.$sensor.$id == sensorID)
                .filter(\.$uploadID == upload.id).count()
            if seen > 0 { return SensorUploadReceipt(id: upload.id, hours: 0, duplicate: true) }
            let record = SensorUpload()
            record.$sensor.id = sensorID
            record.uploadID = upload.id
            record.receivedAt = now
            record.hours = upload.hours.count
            try await record.create(on: db)
            let encoder = JSONEncoder()
            encoder.outputFormatting = .sortedKeys
            for incoming in upload.hours {
                let stored = try await SensorHour.query(on: db).filter(\.$sensor.$id == sensorID)
                    .filter(\.$hour == incoming.hour).first()
                let row = stored ?? SensorHour()
                var aggregate = incoming
                if let stored {
                    aggregate = try JSONDecoder().decode(HourlyAggregate.self, from: Data(stored.aggregate.utf8))
                        .merged(with: incoming)
                }
                row.$sensor.id = sensorID
                row.hour = aggregate.hour
                row.packets = Int64(aggregate.total.packets)
                row.sources = Int64(aggregate.total.sourceCount)
                row.aggregate = String(decoding: try encoder.encode(aggregate), as: UTF8.self)
                row.revision = revision
                try await row.save(on: db)
            }
            sensor.lastUploadAt = record.receivedAt
            try await sensor.save(on: db)
            return SensorUploadReceipt(id: upload.id, hours: upload.hours.count, duplicate: false)
        }
    }

    /// Hours stored and their packets for each of a team's sensors, in one query. The sum is cast
    /// because PostgreSQL sums a BIGINT column as NUMERIC.
    static func totals(team teamID: UUID, on db: any Database) async throws -> [UUID: (hours: Int, packets: Int64)] {
        guard let sql = db as? any SQLDatabase else { throw ConcordError(.unavailable, "sensors need an SQL database") }
        let rows = try await sql.raw(
            """
            SELECT h.sensor_id AS sensor, COUNT(*) AS hours, CAST(COALESCE(SUM(h.packets), 0) AS BIGINT) AS packets
            FROM sensor_hours h JOIN sensors s ON s.id = h.sensor_id
            WHERE s.team_id = \(bind: teamID) GROUP BY h.sensor_id
            """
        ).all()
        var result: [UUID: (hours: Int, packets: Int64)] = [:]
        for row in rows {
            let sensor = try row.decode(column: "sensor", as: UUID.self)
            result[sensor] = (
                try row.decode(column: "hours", as: Int.self), try row.decode(column: "packets", as: Int64.self)
            )
        }
        return result
    }
}
