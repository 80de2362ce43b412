import ConcordCore
import Fluent
import Foundation
import SQLKit

/// The forum-wide figures counted by the database instead of row by row: for a forum-wide reader
/// every incident but TLP:RED ones is readable, so the counters, the table by taxonomy and month,
/// the escalations and histograms of the times are `GROUP BY` queries, and a year of a million
/// incidents is counted without reading them. Whole UTC days the statistics summary has counted
/// (`StatisticsSummary`) are read from it; the rest of the window is counted from the incidents.
/// (TLP:RED incidents, readable only by the people they name, are still judged one by one by the
/// policy and added.)
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

    /// What one count measures.
    enum Measure: String, CaseIterable, Sendable {
        case reports, incidents, coordinated, escalations
        case crossBorder = "cross_border"
        case acknowledge, resolve
        case acknowledgeOpen = "acknowledge_open"
        case resolveOpen = "resolve_open"

        /// The measures of times (by step of the grid) rather than of incidents (by taxonomy).
        var isTime: Bool { [.acknowledge, .resolve, .acknowledgeOpen, .resolveOpen].contains(self) }
    }

    /// One count the database made: a measure of one label's incidents of one taxonomy (times:
    /// of every taxonomy, by their seconds or step) in one slot (a month of the period, 0–11).
    struct Cell: Sendable, Equatable {
        var tlp: String
        var taxonomy: String
        var slot: Int
        var measure: Measure
        var step: Int
        var n: Int
    }

    static func count(
        _ query: StatisticsService.Query, period: ReportingPeriod, window: (from: Date, to: Date), on db: any Database
    ) async throws -> Counted {
        guard let sql = db as? any SQLDatabase else { throw ConcordError(.unavailable, "statistics need SQL") }
        // The summary keeps times by label, not by taxonomy: a classification is counted directly.
        guard query.classification == nil else {
            return fold(
                try await cells(
                    sql, where: conditions(query, ranges: [window]), slot: slot(period.months.map(\.end)),
                    cutoff: query.cutoff),
                categories: CategoryMapping.reportingCategories)
        }
        let plan = try await StatisticsSummary.plan(window: window, period: period, cutoff: query.cutoff, on: db)
        var found: [Cell] = []
        if !plan.direct.isEmpty {
            found += try await cells(
                sql, where: conditions(query, ranges: plan.direct), slot: slot(period.months.map(\.end)),
                cutoff: query.cutoff)
        }
        if !plan.summarized.isEmpty {
            found += try await StatisticsSummary.cells(
                days: plan.summarized, labels: labelConditions(query, column: "tlp"), period: period, on: sql)
        }
        return fold(found, categories: CategoryMapping.reportingCategories)
    }

    /// The counts of the incidents `conditions` select, by label, taxonomy and `slot`; times in
    /// whole seconds, ended by `cutoff` or open.
    static func cells(_ sql: any SQLDatabase, where incidents: SQLQueryString, slot: SQLQueryString, cutoff: Date?)
        async throws -> [Cell]
    {
        var found: [Cell] = []
        for row in try await sql.raw(
            """
            SELECT i.tlp AS tlp, i.taxonomy AS taxonomy, \(slot) AS slot, COUNT(*) AS reports,
            SUM(CASE WHEN i.duplicate_of_id IS NULL THEN 1 ELSE 0 END) AS incidents,
            SUM(CASE WHEN i.duplicate_of_id IS NULL AND EXISTS (SELECT 1 FROM incident_assignments a \
            WHERE a.incident_id = i.id AND a.team_id <> i.reporter_team_id) THEN 1 ELSE 0 END) AS coordinated,
            SUM(CASE WHEN i.duplicate_of_id IS NULL AND (SELECT COUNT(DISTINCT t.economy_id) \
            FROM incident_assignments a JOIN teams t ON t.id = a.team_id WHERE a.incident_id = i.id) >= 2 \
            THEN 1 ELSE 0 END) AS cross_border
            FROM incidents i WHERE \(incidents) GROUP BY 1, 2, 3
            """
        ).all() {
            let (tlp, taxonomy) = (
                try row.decode(column: "tlp", as: String.self), try row.decode(column: "taxonomy", as: String.self)
            )
            let slot = try row.decode(column: "slot", as: Int.self)
            for measure in [Measure.reports, .incidents, .coordinated, .crossBorder] {
                let n = try row.decode(column: measure.rawValue, as: Int.self)
                if n > 0 {
                    found.append(Cell(tlp: tlp, taxonomy: taxonomy, slot: slot, measure: measure, step: 0, n: n))
                }
            }
        }
        for row in try await sql.raw(
            """
            SELECT i.tlp AS tlp, i.taxonomy AS taxonomy, \(slot) AS slot, CAST(SUM(a.escalations) AS BIGINT) AS n
            FROM incident_assignments a JOIN incidents i ON i.id = a.incident_id WHERE \(incidents) GROUP BY 1, 2, 3
            """
        ).all() {
            let n = try row.decode(column: "n", as: Int.self)
            guard n > 0 else { continue }
            found.append(
                Cell(
                    tlp: try row.decode(column: "tlp", as: String.self),
                    taxonomy: try row.decode(column: "taxonomy", as: String.self),
                    slot: try row.decode(column: "slot", as: Int.self), measure: .escalations, step: 0, n: n))
        }
        let last = cutoff ?? .distantFuture
        for (column, ended, open) in [
            ("acknowledged_at", Measure.acknowledge, Measure.acknowledgeOpen),
            ("resolved_at", Measure.resolve, Measure.resolveOpen),
        ] {
            let done: SQLQueryString = "a.\(ident: column) IS NOT NULL AND a.\(ident: column) <= \(bind: last)"
            for row in try await sql.raw(
                """
                SELECT i.tlp AS tlp, \(slot) AS slot, CASE WHEN \(done) THEN \(seconds(to: column, sql)) END AS s,
                COUNT(*) AS n FROM incident_assignments a JOIN incidents i ON i.id = a.incident_id
                WHERE \(incidents) AND a.state <> \(bind: AssignmentState.declined.rawValue)
                AND a.notified_at IS NOT NULL AND a.notified_at <= \(bind: last)
                GROUP BY 1, 2, 3
                """
            ).all() {
                let seconds = try row.decode(column: "s", as: Int?.self)
                found.append(
                    Cell(
                        tlp: try row.decode(column: "tlp", as: String.self), taxonomy: "",
                        slot: try row.decode(column: "slot", as: Int.self), measure: seconds == nil ? open : ended,
                        step: seconds ?? 0, n: try row.decode(column: "n", as: Int.self)))
            }
        }
        return found
    }

    /// What `cells` count to: the counters, the table by taxonomy (those not reported on as
    /// `other`) and month, the times' histograms and the escalations.
    static func fold(_ cells: [Cell], categories: [String]) -> Counted {
        var counted = Counted()
        var table: [String: [Int]] = [:]
        for cell in cells {
            switch cell.measure {
            case .reports: counted.counters.reports += cell.n
            case .incidents:
                counted.counters.incidents += cell.n
                guard (0..<12).contains(cell.slot) else { continue }
                let category = categories.contains(cell.taxonomy) ? cell.taxonomy : "other"
                table[category, default: Array(repeating: 0, count: 12)][cell.slot] += cell.n
            case .coordinated: counted.counters.casesCoordinated += cell.n
            case .crossBorder: counted.counters.crossBorder += cell.n
            case .escalations: counted.escalations += cell.n
            case .acknowledge: counted.acknowledge[cell.step, default: 0] += cell.n
            case .acknowledgeOpen: counted.acknowledgeOpen += cell.n
            case .resolve: counted.resolve[cell.step, default: 0] += cell.n
            case .resolveOpen: counted.resolveOpen += cell.n
            }
        }
        counted.table = CountTable(
            categories: categories, counts: categories.map { table[$0] ?? Array(repeating: 0, count: 12) })
        return counted
    }

    /// The incidents a query counts in `ranges` of their report time, RED and test traffic left out.
    static func conditions(_ query: StatisticsService.Query, ranges: [(from: Date, to: Date)]) -> SQLQueryString {
        var parts: [SQLQueryString] = [
            within(ranges, column: "i.reported_at"), "i.tlp <> \(bind: TLPLabel.red.rawValue)", "i.taxonomy <> 'test'",
        ]
        parts += labelConditions(query, column: "i.tlp")
        if let classification = query.classification {
            let pieces = classification.split(separator: "/", maxSplits: 1).map(String.init)
            parts.append("i.taxonomy = \(bind: pieces[0])")
            if pieces.count == 2 { parts.append("i.type = \(bind: pieces[1])") }
        }
        return joined(parts)
    }

    /// The labels a query counts, as conditions on `column`.
    static func labelConditions(_ query: StatisticsService.Query, column: String) -> [SQLQueryString] {
        var parts: [SQLQueryString] = []
        if let labels = query.labels {
            parts.append("\(unsafeRaw: column) IN (\(binds: labels.map(\.rawValue).sorted()))")
        }
        if let tlp = query.tlp { parts.append("\(unsafeRaw: column) = \(bind: tlp.rawValue)") }
        return parts
    }

    /// `column` inside any of `ranges` (each from inclusive, to exclusive).
    static func within(_ ranges: [(from: Date, to: Date)], column: String) -> SQLQueryString {
        let each: [SQLQueryString] = ranges.map {
            "(\(unsafeRaw: column) >= \(bind: $0.from) AND \(unsafeRaw: column) < \(bind: $0.to))"
        }
        guard let first = each.first else { return "1 = 0" }
        let any = each.dropFirst().reduce(first) { "\($0) OR \($1)" }
        return "(\(any))"
    }

    /// `parts` joined by AND.
    static func joined(_ parts: [SQLQueryString]) -> SQLQueryString {
        parts.dropFirst().reduce(parts[0]) { "\($0) AND \($1)" }
    }

    /// The slot (0, 1, …) of the bounds' ranges an incident was reported in: the first bound
    /// after its report time (a period's months' ends give the month, 0–11).
    static func slot(_ ends: [Date]) -> SQLQueryString {
        var cases: SQLQueryString = "CASE"
        for (index, end) in ends.enumerated() {
            cases = "\(cases) WHEN i.reported_at < \(bind: end) THEN \(literal: index)"
        }
        return "\(cases) ELSE \(literal: ends.count) END"
    }

    /// Whole seconds from an assignment's notification to one of its times, in the database's dialect.
    private static func seconds(to end: String, _ sql: any SQLDatabase) -> SQLQueryString {
        if sql.dialect.name == "postgresql" {
            return "CAST(ROUND(EXTRACT(EPOCH FROM (a.\(ident: end) - a.notified_at))) AS BIGINT)"
        }
        return "CAST(ROUND(a.\(ident: end) - a.notified_at) AS INTEGER)"
    }
}
