import ConcordCore
import Fluent
import Foundation
import SQLKit
import Vapor

/// The forum-wide views of the sensor network: every sensor's hours merged into a
/// `TrafficOverview` for a span of days, and each sensor's health.
enum SensorNetwork {
    /// The span a request asks for: `days` (1–366, default 30) ending with `until` (a UTC date,
    /// default today).
    struct Span: Sendable {
        let firstDay: Int64
        let dayCount: Int

        static func from(days: Int?, until: String?, now: Date) throws -> Span {
            let days = days ?? 30
            guard (1...366).contains(days) else { throw ConcordError.invalid(field: "days", "between 1 and 366") }
            var last = TrafficOverview.dayStart(containing: Int64(now.timeIntervalSince1970))
            if let until, !until.isEmpty {
                guard let date = SensorNetwork.day(until) else {
                    throw ConcordError.invalid(field: "until", "a date as YYYY-MM-DD")
                }
                last = date
            }
            return Span(firstDay: last - Int64(days - 1) * 86_400, dayCount: days)
        }

        var lastHour: Int64 { firstDay + Int64(dayCount) * 86_400 - 3600 }
    }

    /// The newest surge alerts (at most 500), those of bands from `since` on when given.
    static func alerts(since: Date?, on db: any Database) async throws -> [SurgeAlertDTO] {
        var query = SurgeAlert.query(on: db).sort(\.$bandStart, .descending).sort(\.$score, .descending)
        if let since { query = query.filter(\.$bandStart >= Int64(since.timeIntervalSince1970)) }
        return try await query.limit(500).all().map(SurgeAlertDTO.init)
    }

    /// Every sensor's hours in the span, merged day by day.
    static func overview(_ span: Span, on db: any Database) async throws -> TrafficOverview {
        let decoder = JSONDecoder()
        let rows = try await SensorHour.query(on: db).filter(\.$hour >= span.firstDay)
            .filter(\.$hour <= span.lastHour).all()
        let hours = try rows.map { try decoder.decode(HourlyAggregate.self, from: Data($0.aggregate.utf8)) }
        return TrafficOverview(hours: hours, firstDay: span.firstDay, dayCount: span.dayCount)
    }

    /// `2026-11-22` as the second its UTC day starts; nil if it is not such a date.
    static func day(_ text: String) -> Int64? { CivilDate(text)?.startSecond }

    /// `2026-11-22` for the UTC day that holds `second`.
    static func dateText(_ second: Int64) -> String { CivilDate(second: second).description }

    /// Each sensor's health at `now`: its last upload, the hours it delivered in the last 24 hours
    /// and on each of the last 7 days, and its uptime in each month (`SensorUptime`).
    static func health(now: Date, on db: any Database) async throws -> [SensorHealth] {
        guard let sql = db as? any SQLDatabase else { throw ConcordError(.unavailable, "sensors need an SQL database") }
        let nowSecond = Int64(now.timeIntervalSince1970)
        var month = CivilDate(second: nowSecond).firstOfMonth
        for _ in 0..<11 { month = month.firstOfPreviousMonth }
        // Hours per sensor and day for twelve months (integer division is the same in SQLite and
        // PostgreSQL), and hours in the last 24.
        let perDay = try await sql.raw(
            """
            SELECT sensor_id, hour / 86400 AS day, COUNT(*) AS hours FROM sensor_hours
            WHERE hour >= \(bind: month.startSecond) AND hour <= \(bind: nowSecond) GROUP BY sensor_id, hour / 86400
            """
        ).all()
        let lastDay = try await sql.raw(
            """
            SELECT sensor_id, COUNT(*) AS hours FROM sensor_hours
            WHERE hour >= \(bind: nowSecond - 86_400) AND hour <= \(bind: nowSecond) GROUP BY sensor_id
            """
        ).all()
        var days: [UUID: [Int64: Int]] = [:]
        for row in perDay {
            days[try row.decode(column: "sensor_id", as: UUID.self), default: [:]][
                try row.decode(column: "day", as: Int64.self) * 86_400] = try row.decode(column: "hours", as: Int.self)
        }
        var recent: [UUID: Int] = [:]
        for row in lastDay {
            recent[try row.decode(column: "sensor_id", as: UUID.self)] = try row.decode(column: "hours", as: Int.self)
        }
        return try await Sensor.query(on: db).with(\.$team).all().map { sensor in
            let id = try sensor.requireID()
            let uptime = SensorUptime(
                hoursPerDay: days[id] ?? [:], registered: Int64(sensor.createdAt.timeIntervalSince1970), now: nowSecond)
            return SensorHealth(sensor: sensor, now: now, lastDay: recent[id] ?? 0, uptime: uptime)
        }.sorted { ($0.team, $0.name) < ($1.team, $1.name) }
    }
}

/// One sensor's health, as the sensor list shows it.
struct SensorHealth: Content, Equatable {
    /// `ok` (an upload in the last 2 hours), `late` (in the last day) or `silent`.
    enum State: String, Codable, Sendable { case ok, late, silent }

    let id: UUID
    let team: String
    let teamSlug: String
    let name: String
    let location: String
    /// The darknet prefix: only for the sensor's own team and the forum-wide roles (a darknet that
    /// is known is avoided by scanners).
    var prefix: String?
    let lastUploadAt: Date?
    let state: State
    /// Hours delivered in the last 24 hours.
    let hoursLastDay: Int
    /// Hours delivered on each of the last 7 UTC days, oldest first, today last.
    let hoursPerDay: [Int]
    /// Share of the hours of this month (since the sensor was registered) that were delivered.
    let uptimeThisMonth: Double
    /// Each month since the sensor was registered (up to twelve), newest first.
    let months: [MonthUptime]

    /// A month's uptime: `2026-11`, hours delivered, hours expected, their share.
    struct MonthUptime: Content, Equatable {
        let month: String
        let delivered: Int
        let expected: Int
        let uptime: Double
        /// `99.6 %`.
        let text: String
    }

    init(sensor: Sensor, now: Date, lastDay: Int, uptime: SensorUptime) {
        id = sensor.id ?? UUID()
        team = sensor.team.shortName
        teamSlug = sensor.team.slug
        name = sensor.name
        location = sensor.location
        prefix = sensor.prefix
        lastUploadAt = sensor.lastUploadAt
        let age = sensor.lastUploadAt.map { now.timeIntervalSince($0) } ?? .infinity
        state = age <= 7200 ? .ok : age <= 86_400 ? .late : .silent
        hoursLastDay = lastDay
        hoursPerDay = uptime.lastSevenDays
        months = uptime.months.map {
            MonthUptime(
                month: $0.month, delivered: $0.delivered, expected: $0.expected,
                uptime: ($0.share * 1000).rounded() / 1000, text: DecimalText.oneDecimal($0.share * 100) + " %")
        }
        uptimeThisMonth = months.first?.uptime ?? 0
        uptimeText = DecimalText.oneDecimal(uptimeThisMonth * 100) + " %"
        teamID = sensor.$team.id
    }

    /// The uptime for the page: `99.6 %`.
    let uptimeText: String
    /// The owning team, for the policy.
    let teamID: UUID
}
