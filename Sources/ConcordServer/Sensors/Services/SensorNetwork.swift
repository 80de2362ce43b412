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

        static func from(_ req: Request, now: Date = Date()) throws -> Span {
            let days = req.query[Int.self, at: "days"] ?? 30
            guard (1...366).contains(days) else { throw ConcordError.invalid(field: "days", "between 1 and 366") }
            var last = TrafficOverview.dayStart(containing: Int64(now.timeIntervalSince1970))
            if let until = req.query[String.self, at: "until"], !until.isEmpty {
                guard let date = SensorNetwork.day(until) else {
                    throw ConcordError.invalid(field: "until", "a date as YYYY-MM-DD")
                }
                last = date
            }
            return Span(firstDay: last - Int64(days - 1) * 86_400, dayCount: days)
        }

        var lastHour: Int64 { firstDay + Int64(dayCount) * 86_400 - 3600 }
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
    static func day(_ text: String) -> Int64? {
        let parts = text.split(separator: "-")
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2])
        else { return nil }
        var components = DateComponents()
        (components.year, components.month, components.day) = (year, month, day)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = .gmt
        guard let date = calendar.date(from: components), calendar.component(.day, from: date) == day,
            calendar.component(.month, from: date) == month
        else { return nil }
        return Int64(date.timeIntervalSince1970)
    }

    /// `2026-11-22` for the UTC day that holds `second`.
    static func dateText(_ second: Int64) -> String {
        let days = TrafficOverview.dayStart(containing: second) / 86_400
        // Civil from days (H. Hinnant's algorithm), to stay clear of formatter locales.
        let shifted = days + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthPart = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthPart + 2) / 5 + 1
        let month = monthPart < 10 ? monthPart + 3 : monthPart - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        func two(_ value: Int64) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(year)-\(two(month))-\(two(day))"
    }

    /// Each sensor's health at `now`: its last upload, the hours it delivered in the last 24 hours
    /// and on each of the last 7 days, and its uptime this month (hours delivered of the hours
    /// since the month, or the sensor, began).
    static func health(now: Date, on db: any Database) async throws -> [SensorHealth] {
        guard let sql = db as? any SQLDatabase else { throw ConcordError(.unavailable, "sensors need an SQL database") }
        let nowSecond = Int64(now.timeIntervalSince1970)
        let today = TrafficOverview.dayStart(containing: nowSecond)
        let monthStart = Self.day(String(Self.dateText(nowSecond).prefix(8)) + "01") ?? today
        let since = min(monthStart, today - 6 * 86_400)
        let rows = try await sql.raw(
            "SELECT sensor_id, hour FROM sensor_hours WHERE hour >= \(bind: since) AND hour <= \(bind: nowSecond)"
        ).all()
        var hoursBySensor: [UUID: [Int64]] = [:]
        for row in rows {
            hoursBySensor[try row.decode(column: "sensor_id", as: UUID.self), default: []]
                .append(try row.decode(column: "hour", as: Int64.self))
        }
        let sensors = try await Sensor.query(on: db).with(\.$team).all()
        return try sensors.map { sensor in
            let hours = hoursBySensor[try sensor.requireID()] ?? []
            let began = max(
                monthStart, HourlyAggregate.hour(of: Int64(sensor.createdAt.timeIntervalSince1970) * 1_000_000_000))
            let elapsed = max(1, (nowSecond - began) / 3600)
            let delivered = hours.filter { $0 >= began && $0 + 3600 <= nowSecond }.count
            return SensorHealth(
                sensor: sensor, now: now,
                lastDay: hours.filter { $0 >= nowSecond - 86_400 }.count,
                week: (0..<7).reversed().map { back in
                    let day = today - Int64(back) * 86_400
                    return hours.filter { $0 >= day && $0 < day + 86_400 }.count
                },
                uptime: min(1, Double(delivered) / Double(elapsed)))
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

    init(sensor: Sensor, now: Date, lastDay: Int, week: [Int], uptime: Double) {
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
        hoursPerDay = week
        uptimeThisMonth = (uptime * 1000).rounded() / 1000
        uptimeText = SurgeFinding.decimal(uptimeThisMonth * 100) + " %"
        teamID = sensor.$team.id
    }

    /// The uptime for the page: `99.6 %`.
    let uptimeText: String
    /// The owning team, for the policy.
    let teamID: UUID
}
