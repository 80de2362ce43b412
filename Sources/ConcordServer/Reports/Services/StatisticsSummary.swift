import ConcordCore
import Fluent
import Foundation
import SQLKit

/// The statistics summary: the forum-wide counts of each UTC day's incidents (by label and RSIT
/// taxonomy) and of their assignments' times (by label and step of the times' grid), so that a
/// year of a million incidents is counted from a few hundred thousand sums. It is a cache of the
/// incidents, never a record: every write to an incident or an assignment marks its day changed
/// in the same transaction (`StatisticsChangeMarking`), a changed day is counted from the
/// incidents until the refresh (`StatisticsSummaryRefresh`, a background job) has counted it again,
/// and so a figure is the same whether the summary or the incidents gave it.
enum StatisticsSummary {
    static let daysSchema = "statistics_days"
    static let cellsSchema = "statistics_cells"
    static let changesSchema = "statistics_changes"
    static let day: TimeInterval = 86_400

    /// The UTC day `date` falls on (its midnight).
    static func day(of date: Date) -> Date {
        Date(timeIntervalSince1970: (date.timeIntervalSince1970 / day).rounded(.down) * day)
    }

    /// How a window is counted: whole days the summary holds, and the rest from the incidents.
    struct Plan: Sendable {
        var summarized: [(from: Date, to: Date)] = []
        var direct: [(from: Date, to: Date)] = []
    }

    /// Which parts of `window` the summary can count: whole UTC days inside the window and inside
    /// one of the period's months, counted and not changed since, with nothing after `cutoff`.
    static func plan(window: (from: Date, to: Date), period: ReportingPeriod, cutoff: Date?, on db: any Database)
        async throws -> Plan
    {
        guard let sql = db as? any SQLDatabase else { return Plan(direct: [window]) }
        var changed = Set<Date>()
        for row in try await sql.raw("SELECT DISTINCT day FROM \(ident: changesSchema)").all() {
            guard let day = try row.decode(column: "day", as: Date?.self) else { return Plan(direct: [window]) }
            changed.insert(day)
        }
        var counted: [Date: Date?] = [:]
        for row in try await sql.raw(
            """
            SELECT day, last_event_at FROM \(ident: daysSchema)
            WHERE day >= \(bind: day(of: window.from)) AND day < \(bind: window.to)
            """
        ).all() {
            counted[try row.decode(column: "day", as: Date.self)] = try row.decode(
                column: "last_event_at", as: Date?.self)
        }
        var usable: [Date] = []
        var start = day(of: window.from)
        if start < window.from { start += day }
        while start.addingTimeInterval(day) <= window.to {
            let end = start.addingTimeInterval(day)
            if let last = counted[start], !changed.contains(start),
                let month = period.monthIndex(of: start),
                period.monthIndex(of: end.addingTimeInterval(-0.001)) == month,
                (last ?? .distantPast) <= (cutoff ?? .distantFuture)
            {
                usable.append(start)
            }
            start = end
        }
        return split(window, usable: usable)
    }

    /// `window` cut into runs of usable days and the rest.
    static func split(_ window: (from: Date, to: Date), usable: [Date]) -> Plan {
        var plan = Plan()
        var cursor = window.from
        for start in usable {
            let end = start.addingTimeInterval(day)
            if start > cursor { plan.direct.append((cursor, start)) }
            if let last = plan.summarized.last, last.to == start {
                plan.summarized[plan.summarized.count - 1].to = end
            } else {
                plan.summarized.append((start, end))
            }
            cursor = end
        }
        if cursor < window.to { plan.direct.append((cursor, window.to)) }
        return plan
    }

    /// The summary's counts of `days` for the labels `labels` select, each in its month of `period`.
    static func cells(
        days: [(from: Date, to: Date)], labels: [SQLQueryString], period: ReportingPeriod, on sql: any SQLDatabase
    ) async throws -> [StatisticsAggregates.Cell] {
        let selected = StatisticsAggregates.joined([StatisticsAggregates.within(days, column: "day")] + labels)
        let times = StatisticsAggregates.Measure.allCases.filter(\.isTime).map(\.rawValue)
        var found: [StatisticsAggregates.Cell] = []
        for row in try await sql.raw(
            """
            SELECT day, taxonomy, measure, CAST(SUM(n) AS BIGINT) AS n FROM \(ident: cellsSchema)
            WHERE \(selected) AND measure NOT IN (\(binds: times)) GROUP BY 1, 2, 3
            """
        ).all() {
            guard
                let measure = StatisticsAggregates.Measure(
                    rawValue: try row.decode(column: "measure", as: String.self)),
                let slot = period.monthIndex(of: try row.decode(column: "day", as: Date.self))
            else { continue }
            found.append(
                .init(
                    tlp: "", taxonomy: try row.decode(column: "taxonomy", as: String.self), slot: slot,
                    measure: measure,
                    step: 0, n: try row.decode(column: "n", as: Int.self)))
        }
        for row in try await sql.raw(
            """
            SELECT measure, step, CAST(SUM(n) AS BIGINT) AS n FROM \(ident: cellsSchema)
            WHERE \(selected) AND measure IN (\(binds: times)) GROUP BY 1, 2
            """
        ).all() {
            guard
                let measure = StatisticsAggregates.Measure(rawValue: try row.decode(column: "measure", as: String.self))
            else { continue }
            found.append(
                .init(
                    tlp: "", taxonomy: "", slot: 0, measure: measure,
                    step: try row.decode(column: "step", as: Int.self),
                    n: try row.decode(column: "n", as: Int.self)))
        }
        return found
    }
}
