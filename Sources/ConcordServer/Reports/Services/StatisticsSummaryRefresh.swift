import ConcordCore
import Fluent
import Foundation
import SQLKit
import Vapor

/// Counts changed days again into the statistics summary. Each day is one transaction that starts
/// with its write (the day's row, which two refreshes of one day wait on), reads the change marks
/// there are, counts the day from the incidents, replaces its counts, and removes only the marks it
/// read: a write that commits meanwhile leaves its mark, and the day is counted again next time.
enum StatisticsSummaryRefresh {
    /// Counts the changed days again (every day once, if a mark names none); returns how many.
    @discardableResult
    static func runDue(at now: Date, on db: any Database, progress: (@Sendable (Int, Int) -> Void)? = nil)
        async throws -> Int
    {
        guard let sql = db as? any SQLDatabase else { return 0 }
        var days = Set<Date>()
        var everything = false
        for row in try await sql.raw("SELECT DISTINCT day FROM \(ident: StatisticsSummary.changesSchema)").all() {
            if let day = try row.decode(column: "day", as: Date?.self) { days.insert(day) } else { everything = true }
        }
        guard everything else {
            for (done, day) in days.sorted().enumerated() {
                try await refresh(day: day, at: now, on: db)
                progress?(done + 1, days.count)
            }
            return days.count
        }
        return try await refreshAll(at: now, on: db, progress: progress)
    }

    /// Counts every day from the first incident's to the last's again, then removes the marks that
    /// named no day (those read before it began: one added meanwhile waits for the next run).
    @discardableResult
    static func refreshAll(at now: Date, on db: any Database, progress: (@Sendable (Int, Int) -> Void)? = nil)
        async throws -> Int
    {
        guard let sql = db as? any SQLDatabase else { return 0 }
        let marks = try await sql.raw(
            "SELECT id FROM \(ident: StatisticsSummary.changesSchema) WHERE day IS NULL"
        ).all().map { try $0.decode(column: "id", as: UUID.self) }
        let bounds = try await sql.raw("SELECT MIN(reported_at) AS first, MAX(reported_at) AS last FROM incidents")
            .first()
        var days: [Date] = []
        if let first = try bounds?.decode(column: "first", as: Date?.self),
            let last = try bounds?.decode(column: "last", as: Date?.self)
        {
            var day = StatisticsSummary.day(of: first)
            while day <= last {
                days.append(day)
                day = day.addingTimeInterval(StatisticsSummary.day)
            }
        }
        for (done, day) in days.enumerated() {
            try await refresh(day: day, at: now, on: db)
            progress?(done + 1, days.count)
        }
        try await db.writeTransaction { db in try await remove(marks, on: db) }
        return days.count
    }

    /// Counts one UTC day again.
    static func refresh(day: Date, at now: Date, on db: any Database) async throws {
        try await db.writeTransaction { db in
            guard let sql = db as? any SQLDatabase else { return }
            let end = day.addingTimeInterval(StatisticsSummary.day)
            try await sql.raw(
                """
                INSERT INTO \(ident: StatisticsSummary.daysSchema) (day, last_event_at, refreshed_at)
                VALUES (\(bind: day), NULL, \(bind: now))
                ON CONFLICT (day) DO UPDATE SET refreshed_at = excluded.refreshed_at
                """
            ).run()
            let marks = try await sql.raw(
                "SELECT id FROM \(ident: StatisticsSummary.changesSchema) WHERE day = \(bind: day)"
            ).all().map { try $0.decode(column: "id", as: UUID.self) }
            let counted = try await StatisticsAggregates.cells(
                sql,
                where: StatisticsAggregates.conditions(
                    StatisticsService.Query(period: .init(year: 2000)!), ranges: [(day, end)]),
                slot: StatisticsAggregates.slot([end]), cutoff: nil)
            try await sql.delete(from: StatisticsSummary.cellsSchema).where("day", .equal, day).run()
            let cells = stepped(counted)
            for start in stride(from: 0, to: cells.count, by: 200) {
                let chunk = cells[start..<min(start + 200, cells.count)]
                let insert = sql.insert(into: StatisticsSummary.cellsSchema)
                    .columns("day", "tlp", "taxonomy", "measure", "step", "n")
                for cell in chunk {
                    insert.values(
                        SQLBind(day), SQLBind(cell.tlp), SQLBind(cell.taxonomy), SQLBind(cell.measure.rawValue),
                        SQLBind(cell.step), SQLBind(cell.n))
                }
                try await insert.run()
            }
            try await sql.raw(
                """
                UPDATE \(ident: StatisticsSummary.daysSchema) SET last_event_at = \(bind: try await lastEvent(day, end, sql))
                WHERE day = \(bind: day)
                """
            ).run()
            try await remove(marks, on: db)
        }
    }

    /// `cells` with their times on the grid, the cells a step joins summed.
    static func stepped(_ cells: [StatisticsAggregates.Cell]) -> [StatisticsAggregates.Cell] {
        var sums: [String: StatisticsAggregates.Cell] = [:]
        for var cell in cells {
            if cell.measure == .acknowledge || cell.measure == .resolve { cell.step = DurationFigures.step(cell.step) }
            let key = "\(cell.tlp)|\(cell.taxonomy)|\(cell.measure.rawValue)|\(cell.step)"
            if sums[key] != nil { sums[key]!.n += cell.n } else { sums[key] = cell }
        }
        return sums.values.sorted {
            ($0.tlp, $0.taxonomy, $0.measure.rawValue, $0.step) < ($1.tlp, $1.taxonomy, $1.measure.rawValue, $1.step)
        }
    }

    /// The latest time anything of the day's incidents happened: reported, notified, acknowledged, resolved.
    private static func lastEvent(_ day: Date, _ end: Date, _ sql: any SQLDatabase) async throws -> Date? {
        let incidents = try await sql.raw(
            "SELECT MAX(reported_at) AS last FROM incidents WHERE reported_at >= \(bind: day) AND reported_at < \(bind: end)"
        ).first()?.decode(column: "last", as: Date?.self)
        let row = try await sql.raw(
            """
            SELECT MAX(a.notified_at) AS notified, MAX(a.acknowledged_at) AS acknowledged, MAX(a.resolved_at) AS resolved
            FROM incident_assignments a JOIN incidents i ON i.id = a.incident_id
            WHERE i.reported_at >= \(bind: day) AND i.reported_at < \(bind: end)
            """
        ).first()
        let times = try ["notified", "acknowledged", "resolved"].compactMap {
            try row?.decode(column: $0, as: Date?.self)
        }
        return ([incidents].compactMap { $0 } + times).max()
    }

    /// Removes the change marks `ids`.
    private static func remove(_ ids: [UUID], on db: any Database) async throws {
        guard let sql = db as? any SQLDatabase else { return }
        for start in stride(from: 0, to: ids.count, by: 500) {
            let chunk = ids[start..<min(start + 500, ids.count)]
            try await sql.delete(from: StatisticsSummary.changesSchema).where("id", .in, Array(chunk)).run()
        }
    }
}

/// Counts the whole statistics summary again from the incidents (`concord recount-statistics`,
/// after incidents were written into the database by something other than Concord); `progress`
/// hears each day counted of all. Returns the days counted.
public func recountStatistics(_ app: Application, progress: @escaping @Sendable (Int, Int) -> Void) async throws -> Int
{
    try await StatisticsSummaryRefresh.refreshAll(at: app.clock.now(), on: app.db, progress: progress)
}
