import ConcordCore
import Fluent
import SQLKit
import Vapor

/// The sensor network's overview of a span, aggregated once per span and stored-hours revision,
/// from day parts kept until their day's hours move.
///
/// The dashboard page and its three charts ask for the same span: each then costs one read of the
/// revision counter. After an upload (a bump of `CacheRevision.sensorHours`, on any instance), one
/// grouped query says which days' hours moved (each hour carries the revision of the upload that
/// last wrote it): only those days are read and decoded again, the others' parts are joined as
/// they were (`TrafficOverview(joining:)`). An upload of the current hour thus costs one day, not
/// the span. Nothing is kept that another instance could not invalidate.
actor SensorOverviewCache {
    private struct Key: Hashable {
        let firstDay: Int64
        let dayCount: Int
    }

    /// What a day's stored hours were when its part was made: a new or rewritten hour changes it.
    struct DayMark: Equatable, Sendable {
        let hours: Int
        let newestRevision: Int64
        let packets: Int64
    }

    /// Spans kept at most; beyond, the cache starts again (spans are few: 7, 30, 90 days to today).
    static let capacity = 16
    /// Day parts kept at most (a year and a month); beyond, those of the oldest days go.
    static let dayCapacity = 400
    private var entries: [Key: (revision: Int64, overview: TrafficOverview)] = [:]
    private var dayParts: [Int64: (mark: DayMark, part: TrafficOverview)] = [:]
    /// Spans aggregated (from parts), and days read and decoded, since the start.
    private(set) var computed = 0
    private(set) var daysComputed = 0

    func overview(_ span: SensorNetwork.Span, on db: any Database) async throws -> TrafficOverview {
        let key = Key(firstDay: span.firstDay, dayCount: span.dayCount)
        // Read before aggregating: hours committed meanwhile make the entry older than the data,
        // never newer, so the next request recomputes.
        let revision = try await CacheRevision.sensorHours.current(on: db)
        if let entry = entries[key], entry.revision == revision { return entry.overview }
        let marks = try await Self.dayMarks(span, on: db)
        let days = (0..<span.dayCount).map { span.firstDay + Int64($0) * 86_400 }
        let stale = days.filter { day in marks[day] != nil && dayParts[day]?.mark != marks[day] }
        let fresh = try await Self.parts(of: stale, on: db)
        for (day, part) in fresh {
            if let mark = marks[day] { dayParts[day] = (mark, part) }
        }
        daysComputed += fresh.count
        func part(of day: Int64) -> TrafficOverview {
            let empty = TrafficOverview(hours: [], firstDay: day, dayCount: 1)
            return marks[day] == nil ? empty : fresh[day] ?? dayParts[day]?.part ?? empty
        }
        let overview = TrafficOverview(joining: days.map(part(of:)))
        computed += 1
        if entries.count >= Self.capacity { entries.removeAll() }
        entries[key] = (revision, overview)
        if dayParts.count > Self.dayCapacity {
            for day in dayParts.keys.sorted().prefix(dayParts.count - Self.dayCapacity) { dayParts[day] = nil }
        }
        return overview
    }

    /// Each day of the span that has hours, with its mark, in one grouped query. The sum is cast
    /// because PostgreSQL sums a BIGINT column as NUMERIC.
    static func dayMarks(_ span: SensorNetwork.Span, on db: any Database) async throws -> [Int64: DayMark] {
        guard let sql = db as? any SQLDatabase else { throw ConcordError(.unavailable, "sensors need an SQL database") }
        let rows = try await sql.raw(
            """
            SELECT hour / 86400 AS day, COUNT(*) AS hours, MAX(revision) AS newest,
                CAST(SUM(packets) AS BIGINT) AS packets
            FROM sensor_hours WHERE hour >= \(bind: span.firstDay) AND hour <= \(bind: span.lastHour)
            GROUP BY hour / 86400
            """
        ).all()
        var marks: [Int64: DayMark] = [:]
        for row in rows {
            marks[try row.decode(column: "day", as: Int64.self) * 86_400] = DayMark(
                hours: try row.decode(column: "hours", as: Int.self),
                newestRevision: try row.decode(column: "newest", as: Int64.self),
                packets: try row.decode(column: "packets", as: Int64.self))
        }
        return marks
    }

    /// The parts of these days, from their stored hours (read in one query over their range).
    static func parts(of days: [Int64], on db: any Database) async throws -> [Int64: TrafficOverview] {
        guard let first = days.min(), let last = days.max() else { return [:] }
        let wanted = Set(days)
        let decoder = JSONDecoder()
        let rows = try await SensorHour.query(on: db).filter(\.$hour >= first).filter(\.$hour < last + 86_400).all()
        var hours: [Int64: [HourlyAggregate]] = [:]
        for row in rows {
            let day = TrafficOverview.dayStart(containing: row.hour)
            guard wanted.contains(day) else { continue }
            hours[day, default: []].append(try decoder.decode(HourlyAggregate.self, from: Data(row.aggregate.utf8)))
        }
        return wanted.reduce(into: [:]) { parts, day in
            parts[day] = TrafficOverview(hours: hours[day] ?? [], firstDay: day, dayCount: 1)
        }
    }
}

extension Application {
    private struct SensorOverviewCacheKey: StorageKey { typealias Value = SensorOverviewCache }

    /// The application's cache of sensor overviews (made at first use).
    var sensorOverviews: SensorOverviewCache {
        storage.get(SensorOverviewCacheKey.self)
            ?? {
                let cache = SensorOverviewCache()
                storage[SensorOverviewCacheKey.self] = cache
                return cache
            }()
    }
}
