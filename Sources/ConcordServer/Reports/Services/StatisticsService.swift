import ConcordCore
import Fluent
import Vapor

/// Incident figures for the statistics API and the report: the incidents of a reporting year
/// that the caller may read (through the one policy, row by row), turned into facts
/// (`IncidentFact`: no title, no observable) and counted by `IncidentStatistics`, beside the same
/// figures a year earlier.
enum StatisticsService {
    /// What to count.
    struct Query: Sendable {
        var period: ReportingPeriod
        /// Narrow the window inside the period.
        var from: Date?
        var to: Date?
        /// A team's figures (its slug): incidents it reported or was asked to act on.
        var team: String?
        /// Incidents involving a team of this economy (ISO code), as reporter or assignee.
        var economy: String?
        /// An RSIT taxonomy or `taxonomy/type`.
        var classification: String?
        var tlp: TLPLabel?
        /// Count only incidents with these labels (an edition of the report: CLEAR and GREEN for
        /// the public one); RED never counts here whoever builds it.
        var labels: Set<TLPLabel>?
        /// The data's cut-off: nothing reported, acknowledged or resolved after it counts, and the
        /// directory is judged at it (an edition rebuilt with the same cut-off counts the same).
        var cutoff: Date?
    }

    static let definitions = [
        "reports":
            "Incident reports received in the window, duplicates included; RSIT test traffic, drills, communication checks and sensor events never count.",
        "incidents": "Reports less those merged into another incident as duplicates.",
        "casesCoordinated":
            "Incidents where at least one team other than the reporter (or, for a team's figures, other than the team) was asked to act.",
        "crossBorder": "Incidents assigned to teams of at least two economies.",
        "byTaxonomy":
            "Incidents by the RSIT taxonomy of their classification and the month (UTC) they were reported in.",
        "timeToAcknowledge":
            "Per assignment: from the team's notification to its first acknowledgement (starting or resolving count as one); a declined assignment is no case, one not acknowledged by the cut-off is open and counts against the shares. Median and p90 by nearest rank, each time rounded up to the minute below an hour, the quarter hour below a day, the hour below a week, the day beyond.",
        "timeToResolve":
            "Per assignment: from the team's notification to its resolution; open ones count against the shares.",
        "escalations":
            "Reminders and secretariat alerts sent after missed acknowledgement deadlines, over the assignments counted.",
        "communicationChecks":
            "Checks started in the window: a challenge counts as answered when it was answered within its check's window; the time to answer is measured from sending, unanswered challenges counted open.",
        "drills":
            "Drills started in the window that the reader may see: member teams invited and taking part (acknowledging at least one inject) and their economies, partner-forum teams apart, and member injects with a deadline acknowledged by it.",
        "directoryHealth":
            "Active teams at the window's end (or now): with a contact whose OpenPGP key is valid (not expired, no finding), and with an RFC 2350 profile updated in the last twelve months.",
        "counted":
            "Only incidents the reader may read are counted: a TLP:RED incident counts only for the people it names.",
    ]

    static func figures(_ query: Query, caller: Caller) async throws -> StatisticsDTO {
        try caller.policy.require(.readDirectory)
        var team: Team?
        if let slug = query.team { team = try await DirectoryQueries.team(slug: slug, on: caller.db) }
        let teamID = try team?.requireID()
        // A team's own figures are its own and the forum-wide roles' to read (its times, its checks).
        if let teamID { try caller.policy.require(.readTeamPrivate(team: teamID)) }
        let economies = try await Self.economies(on: caller.db)
        if let code = query.economy, !economies.values.contains(code) {
            throw ConcordError.invalid(field: "economy", "'\(code)' is the ISO code of no economy with a team")
        }
        let window = (
            from: max(query.from ?? query.period.start, query.period.start),
            to: min(query.to ?? query.period.end, query.period.end, query.cutoff ?? .distantFuture)
        )
        guard window.from < window.to else {
            throw ConcordError.invalid(
                field: "to", "the window is empty: 'to' must come after 'from', inside the period")
        }
        // A forum-wide reader's figures are counted by the database; a team's, an economy's, or
        // a member's (whose reading is decided incident by incident) row by row.
        let aggregate = (caller.principal?.role.isForumWide ?? false) && teamID == nil && query.economy == nil
        func count(_ query: Query, _ window: (from: Date, to: Date)) async throws -> StatisticsAggregates.Counted {
            guard aggregate else {
                let rows = try await Self.rows(query, window: window, economies: economies, caller: caller)
                return Self.counted(
                    rows, period: query.period, team: teamID, economies: economies, cutoff: query.cutoff)
            }
            var counted = try await StatisticsAggregates.count(
                query, period: query.period, window: window, on: caller.db)
            if query.labels?.contains(.red) ?? true, query.tlp == nil || query.tlp == .red {
                var red = query
                red.tlp = .red
                let rows = try await Self.rows(red, window: window, economies: economies, caller: caller)
                counted = Self.merged(
                    counted,
                    Self.counted(rows, period: query.period, team: nil, economies: economies, cutoff: query.cutoff))
            }
            return counted
        }
        let current = try await count(query, window)
        var previous = StatisticsAggregates.Counted()
        if let earlier = query.period.previous {
            let shift = earlier.start.timeIntervalSince(query.period.start)
            var before = query
            before.period = earlier
            before.cutoff = query.cutoff?.addingTimeInterval(shift)
            previous = try await count(
                before, (window.from.addingTimeInterval(shift), window.to.addingTimeInterval(shift)))
        }
        let counters = current.counters
        let last = previous.counters
        let table = current.table
        var trends: [String: StatisticsDTO.TrendDTO] = [:]
        for (name, before, now) in [
            ("reports", last.reports, counters.reports), ("incidents", last.incidents, counters.incidents),
            ("casesCoordinated", last.casesCoordinated, counters.casesCoordinated),
            ("crossBorder", last.crossBorder, counters.crossBorder),
        ] {
            if let trend = Trend(previous: before, current: now) { trends[name] = .init(trend) }
        }
        return StatisticsDTO(
            period: .init(
                year: query.period.year, startMonth: query.period.startMonth, label: query.period.label,
                from: window.from, to: window.to, months: query.period.months.map(\.label)),
            scope: .init(
                team: team?.slug, economy: query.economy, classification: query.classification,
                tlp: query.tlp?.rawValue),
            counters: .init(counters), previousYear: .init(last), trends: trends,
            byTaxonomy: zip(table.categories, table.counts).map { taxonomy, months in
                .init(
                    taxonomy: taxonomy, label: RSITClassification.label(taxonomy), months: months,
                    total: months.reduce(0, +))
            },
            timeToAcknowledge: .init(DurationFigures(histogram: current.acknowledge, open: current.acknowledgeOpen)),
            timeToResolve: .init(DurationFigures(histogram: current.resolve, open: current.resolveOpen)),
            escalations: current.escalations,
            communicationChecks: try await MeasuredFigures.communicationChecks(
                from: window.from, to: window.to, team: teamID, on: caller.db),
            drills: try await MeasuredFigures.drills(from: window.from, to: window.to, team: teamID, caller: caller),
            directoryHealth: try await MeasuredFigures.directoryHealth(
                at: min(window.to, query.cutoff ?? caller.clock.now()), on: caller.db),
            monthTotals: table.monthTotals,
            previousMonthTotals: previous.table.categories.isEmpty
                ? Array(repeating: 0, count: 12) : previous.table.monthTotals,
            total: table.total, definitions: definitions)
    }

    /// A team's incidents over `period` by RSIT taxonomy, as the caller may see them: the measured
    /// figures a submission's declared ones stand beside (the same as `figures`' table for the
    /// team, without the rest of its figures).
    static func teamTotals(period: ReportingPeriod, team: Team, caller: Caller) async throws -> [String: Int] {
        try caller.policy.require(.readDirectory)
        let teamID = try team.requireID()
        try caller.policy.require(.readTeamPrivate(team: teamID))
        let economies = try await Self.economies(on: caller.db)
        let rows = try await Self.rows(
            Query(period: period, team: team.slug), window: (period.start, period.end), economies: economies,
            caller: caller)
        let table = IncidentStatistics.byTaxonomyAndMonth(
            rows.map { Self.fact($0, economies: economies) }, in: period, team: teamID)
        return Dictionary(zip(table.categories, table.counts.map { $0.reduce(0, +) }), uniquingKeysWith: +)
    }

    /// What `rows` count to, case by case.
    static func counted(
        _ rows: [IncidentListRow], period: ReportingPeriod, team: UUID?, economies: [UUID: String], cutoff: Date?
    ) -> StatisticsAggregates.Counted {
        let facts = rows.map { Self.fact($0, economies: economies) }
        var counted = StatisticsAggregates.Counted()
        counted.counters = IncidentStatistics.counters(facts, in: period, team: team)
        counted.table = IncidentStatistics.byTaxonomyAndMonth(facts, in: period, team: team)
        (counted.acknowledge, counted.acknowledgeOpen) = histogram(
            rows, team: team, to: \.acknowledgedAt, cutoff: cutoff)
        (counted.resolve, counted.resolveOpen) = histogram(rows, team: team, to: \.resolvedAt, cutoff: cutoff)
        counted.escalations = assignments(rows, team: team).reduce(0) { $0 + $1.escalations }
        return counted
    }

    /// Both parts' figures together.
    static func merged(_ one: StatisticsAggregates.Counted, _ two: StatisticsAggregates.Counted)
        -> StatisticsAggregates.Counted
    {
        var sum = one
        sum.counters = one.counters + two.counters
        sum.table = one.table + two.table
        sum.acknowledge.merge(two.acknowledge, uniquingKeysWith: +)
        sum.acknowledgeOpen += two.acknowledgeOpen
        sum.resolve.merge(two.resolve, uniquingKeysWith: +)
        sum.resolveOpen += two.resolveOpen
        sum.escalations += two.escalations
        return sum
    }

    /// The durations of `rows` as a histogram of seconds, and the open cases.
    private static func histogram(
        _ rows: [IncidentListRow], team: UUID?, to end: KeyPath<IncidentListRow.Assignment, Date?>, cutoff: Date?
    ) -> ([Int: Int], Int) {
        var seconds: [Int: Int] = [:]
        var open = 0
        let last = cutoff ?? .distantFuture
        for assignment in assignments(rows, team: team) where assignment.state != .declined {
            guard let notified = assignment.notifiedAt, notified <= last else { continue }
            if let ended = assignment[keyPath: end], ended <= last {
                seconds[Int(ended.timeIntervalSince(notified).rounded()), default: 0] += 1
            } else {
                open += 1
            }
        }
        return (seconds, open)
    }

    /// The assignments the figures measure: every team's, or one team's; test traffic left out.
    private static func assignments(_ rows: [IncidentListRow], team: UUID?) -> [IncidentListRow.Assignment] {
        rows.filter { $0.taxonomy != "test" }.flatMap(\.assignments).filter { team == nil || $0.teamID == team }
    }

    /// Notified → `end` over the assignments notified since the times were kept; a declined one is
    /// no case, one not there yet is open.
    static func durations(
        _ rows: [IncidentListRow], team: UUID?, to end: KeyPath<IncidentListRow.Assignment, Date?>,
        cutoff: Date? = nil
    ) -> DurationFigures {
        var seconds: [Int] = []
        var open = 0
        let last = cutoff ?? .distantFuture
        for assignment in assignments(rows, team: team) where assignment.state != .declined {
            guard let notified = assignment.notifiedAt, notified <= last else { continue }
            if let ended = assignment[keyPath: end], ended <= last {
                seconds.append(Int(ended.timeIntervalSince(notified).rounded()))
            } else {
                open += 1
            }
        }
        return DurationFigures(seconds: seconds, open: open)
    }

    /// The incidents in the window that the caller may read and the query selects.
    static func rows(
        _ query: Query, window: (from: Date, to: Date), economies: [UUID: String], caller: Caller
    ) async throws -> [IncidentListRow] {
        var filter = IncidentListFilter()
        filter.since = window.from
        filter.until = window.to
        filter.classification = query.classification
        filter.tlp = query.tlp
        var rows = try await IncidentQueries.allVisible(filter: filter, policy: caller.policy, on: caller.db)
        if let labels = query.labels { rows = rows.filter { labels.contains($0.tlp) && $0.tlp != .red } }
        guard let code = query.economy else { return rows }
        return rows.filter { row in
            ([row.reporterTeamID] + row.assignments.map(\.teamID)).compactMap { economies[$0] }.contains(code)
        }
    }

    /// What the counters need of a row.
    static func fact(_ row: IncidentListRow, economies: [UUID: String]) -> IncidentFact {
        let assignees = Set(row.assignments.map(\.teamID))
        return IncidentFact(
            reportedAt: row.reportedAt, classification: "\(row.taxonomy)/\(row.type)", reporter: row.reporterTeamID,
            assignees: assignees, assigneeEconomies: Set(assignees.compactMap { economies[$0] }),
            isDuplicate: row.duplicateOf != nil)
    }

    /// Each team's economy, by its ISO code (or its id where it has none).
    static func economies(on db: any Database) async throws -> [UUID: String] {
        try await Team.query(on: db).with(\.$economy).all().reduce(into: [:]) { map, team in
            if let id = team.id { map[id] = team.economy.isoCode ?? team.$economy.id.uuidString }
        }
    }
}
