import ConcordCore
import Fluent
import Foundation
import SQLKit

/// The forum-wide figures counted by the database instead of row by row: for a forum-wide reader
/// every incident but TLP:RED ones is readable, so the counters, the table by taxonomy and month,
/// the escalations and histograms of the times are `GROUP BY` queries, and a year of a million
/// incidents is counted without reading them. (TLP:RED incidents, readable only by the people they
/// name, are still judged one by one by the policy and added.)
enum StatisticsAggregates {
    /// What a window's incidents count to.
    struct Counted: Sendable {
        var counters = IncidentCounters()
        var table = CountTable(categories: [], counts: [])
        var acknowledge: [Int: Int] = [:]
        var acknowledgeOpen = 0
        var resolve: [Int: Int] = [:]
        var resolveOpen = 0
        var escalations = 0
    }

    static func count(
        _ query: StatisticsService.Query, period: ReportingPeriod, window: (from: Date, to: Date), on db: any Database
    ) async throws -> Counted {
        guard let sql = db as? any SQLDatabase else { throw ConcordError(.unavailable, "statistics need SQL") }
        let incidents = conditions(query, window: window)
        var counted = Counted()
        let counters = try await sql.raw(
            """
            SELECT COUNT(*) AS reports,
            COALESCE(SUM(CASE WHEN i.duplicate_of_id IS NULL THEN 1 ELSE 0 END), 0) AS incidents,
            COALESCE(SUM(CASE WHEN i.duplicate_of_id IS NULL AND EXISTS (SELECT 1 FROM incident_assignments a \
            WHERE a.incident_id = i.id AND a.team_id <> i.reporter_team_id) THEN 1 ELSE 0 END), 0) AS coordinated,
            COALESCE(SUM(CASE WHEN i.duplicate_of_id IS NULL AND (SELECT COUNT(DISTINCT t.economy_id) \
            FROM incident_assignments a JOIN teams t ON t.id = a.team_id WHERE a.incident_id = i.id) >= 2 \
            THEN 1 ELSE 0 END), 0) AS cross_border
            FROM incidents i WHERE \(incidents)
            """
        ).first()
        if let row = counters {
            counted.counters.reports = try row.decode(column: "reports", as: Int.self)
            counted.counters.incidents = try row.decode(column: "incidents", as: Int.self)
            counted.counters.casesCoordinated = try row.decode(column: "coordinated", as: Int.self)
            counted.counters.crossBorder = try row.decode(column: "cross_border", as: Int.self)
        }
        var cells: [String: [Int]] = [:]
        let categories = CategoryMapping.reportingCategories
        for row in try await sql.raw(
            """
            SELECT i.taxonomy AS taxonomy, \(month(period)) AS month, COUNT(*) AS n FROM incidents i
            WHERE \(incidents) AND i.duplicate_of_id IS NULL GROUP BY 1, 2
            """
        ).all() {
            let taxonomy = try row.decode(column: "taxonomy", as: String.self)
            let month = try row.decode(column: "month", as: Int.self)
            guard (0..<12).contains(month) else { continue }
            cells[categories.contains(taxonomy) ? taxonomy : "other", default: Array(repeating: 0, count: 12)][month] +=
                try row.decode(column: "n", as: Int.self)
        }
        counted.table = CountTable(
            categories: categories, counts: categories.map { cells[$0] ?? Array(repeating: 0, count: 12) })
        let last = query.cutoff ?? .distantFuture
        for (column, isAcknowledge) in [("acknowledged_at", true), ("resolved_at", false)] {
            var histogram: [Int: Int] = [:]
            var open = 0
            let ended: SQLQueryString =
                "a.\(ident: column) IS NOT NULL AND a.\(ident: column) <= \(bind: last)"
            for row in try await sql.raw(
                """
                SELECT CASE WHEN \(ended) THEN \(seconds(from: "notified_at", to: column, sql)) END AS s, COUNT(*) AS n
                FROM incident_assignments a JOIN incidents i ON i.id = a.incident_id
                WHERE \(incidents) AND a.state <> \(bind: AssignmentState.declined.rawValue)
                AND a.notified_at IS NOT NULL AND a.notified_at <= \(bind: last)
                GROUP BY 1
                """
            ).all() {
                let n = try row.decode(column: "n", as: Int.self)
                if let value = try row.decode(column: "s", as: Int?.self) {
                    histogram[value, default: 0] += n
                } else {
                    open += n
                }
            }
            if isAcknowledge {
                (counted.acknowledge, counted.acknowledgeOpen) = (histogram, open)
            } else {
                (counted.resolve, counted.resolveOpen) = (histogram, open)
            }
        }
        counted.escalations =
            try await sql.raw(
                """
                SELECT CAST(COALESCE(SUM(a.escalations), 0) AS BIGINT) AS n FROM incident_assignments a
                JOIN incidents i ON i.id = a.incident_id WHERE \(incidents)
                """
            ).first()?.decode(column: "n", as: Int.self) ?? 0
        return counted
    }

    /// The incidents a query counts, RED and test traffic left out.
    private static func conditions(_ query: StatisticsService.Query, window: (from: Date, to: Date)) -> SQLQueryString {
        var parts: [SQLQueryString] = [
            "i.reported_at >= \(bind: window.from)", "i.reported_at < \(bind: window.to)",
            "i.tlp <> \(bind: TLPLabel.red.rawValue)", "i.taxonomy <> 'test'",
        ]
        if let labels = query.labels {
            parts.append("i.tlp IN (\(binds: labels.map(\.rawValue).sorted()))")
        }
        if let tlp = query.tlp { parts.append("i.tlp = \(bind: tlp.rawValue)") }
        if let classification = query.classification {
            let pieces = classification.split(separator: "/", maxSplits: 1).map(String.init)
            parts.append("i.taxonomy = \(bind: pieces[0])")
            if pieces.count == 2 { parts.append("i.type = \(bind: pieces[1])") }
        }
        return parts.dropFirst().reduce(parts[0]) { "\($0) AND \($1)" }
    }

    /// The month (0–11) of the period an incident was reported in, by the months' bounds.
    private static func month(_ period: ReportingPeriod) -> SQLQueryString {
        var cases: SQLQueryString = "CASE"
        for (index, month) in period.months.enumerated() {
            cases = "\(cases) WHEN i.reported_at < \(bind: month.end) THEN \(literal: index)"
        }
        return "\(cases) ELSE 12 END"
    }

    /// Whole seconds from one time column of an assignment to another, in the database's dialect.
    private static func seconds(from start: String, to end: String, _ sql: any SQLDatabase) -> SQLQueryString {
        if sql.dialect.name == "postgresql" {
            return "CAST(ROUND(EXTRACT(EPOCH FROM (a.\(ident: end) - a.\(ident: start)))) AS BIGINT)"
        }
        return "CAST(ROUND(a.\(ident: end) - a.\(ident: start)) AS INTEGER)"
    }
}
