import ConcordCore
import Crypto
import Fluent
import SQLKit
import Vapor

/// Gathers one edition of the annual report from Concord's records, in the forum's order: the
/// chair's message, about the forum, the year's activities, the measured chapter (with the
/// members' per-team times), the sensor network, then one section per member team from its
/// accepted submission, and the declared figures beside the measured ones. Each section has its
/// TLP; a section above the edition's is left out and listed as such. Everything is judged at the
/// cut-off, and counted over the labels the edition may count (`EditionContents.countedLabels`),
/// never over what the person building it happens to see.
enum AnnualReportBuilder {
    /// A built edition's data with the digest of what it was made from.
    struct Built: Sendable {
        let data: AnnualReportData
        /// SHA-256 (hex) over the records counted (each incident's id, label and time, each
        /// submission's team and version) and the figures.
        let inputsSHA256: String
    }

    /// The sections in the forum's order, with their TLP.
    static let sections: [(id: String, title: String, tlp: TLPLabel)] = [
        ("chair", "Message from the chair", .clear),
        ("about", "About the forum", .clear),
        ("activities", "The year's activities", .green),
        ("measured", "What Concord measured", .clear),
        ("team-times", "Each team's times and checks", .amber),
        ("sensors", "The sensor network", .clear),
        ("teams", "Member teams", .clear),
        ("comparisons", "Declared and measured, per team", .amber),
    ]

    static let countedText =
        "The public edition (TLP:CLEAR) counts incidents marked TLP:CLEAR or TLP:GREEN only; the members' edition (TLP:AMBER) counts TLP:AMBER too. Incidents marked TLP:AMBER+STRICT or TLP:RED never count in an edition."

    static func build(year: ReportingYear, tlp: TLPLabel, cutoff: Date, caller: Caller) async throws -> Built {
        try caller.policy.require(.manageReporting)
        let db = caller.db
        let period = year.period
        let included = { (id: String) -> Bool in
            sections.first { $0.id == id }.map { EditionContents.includes($0.tlp, in: tlp) } ?? false
        }
        var query = StatisticsService.Query(period: period)
        query.labels = EditionContents.countedLabels(in: tlp)
        query.cutoff = cutoff
        let measured = try await StatisticsService.figures(query, caller: caller)
        let window = (from: period.start, to: min(period.end, cutoff))
        let rows = try await StatisticsService.rows(query, window: window, economies: [:], caller: caller)
        let members = try await ReportingMembers.all(on: db)
        let accepted = try await acceptedSubmissions(year, cutoff: cutoff, on: db)

        let chair = AnnualReportData.Chair(
            paragraphs: year.chairMessage.components(separatedBy: "\n\n").map {
                $0.trimmingCharacters(in: .whitespacesAndNewlines)
            }.filter { !$0.isEmpty })
        let about = Self.about(members)
        let activities = included("activities") ? try await Self.activities(window, on: db) : nil
        let teamTimes = included("team-times") ? try await Self.teamTimes(members, rows: rows, window, cutoff, db) : nil
        let sensors = try await Self.sensors(period: period, cutoff: cutoff, app: caller.app, on: db)
        let teams = try await Self.teamSections(members, accepted: accepted, year: year, on: db)
        let comparisons =
            included("comparisons")
            ? try await Self.comparisons(members, accepted: accepted, rows: rows, period: period, on: db) : nil

        let data = AnnualReportData(
            meta: .init(
                forum: caller.app.concord.forumName, year: year.year, period: period.label, tlp: tlp.rawValue,
                cutoff: cutoff, taxonomy: RSITClassification.version, counted: countedText),
            contents: sections.map {
                .init(id: $0.id, title: $0.title, tlp: $0.tlp.rawValue, included: included($0.id))
            },
            chair: chair, about: about, activities: activities, measured: measured, teamTimes: teamTimes,
            sensors: sensors, teams: teams, comparisons: comparisons)
        return Built(data: data, inputsSHA256: try digest(rows: rows, accepted: accepted, data: data))
    }

    /// The JSON of `data`, as `data.json` holds it (sorted keys, ISO 8601 times).
    static func json(_ data: AnnualReportData) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return try encoder.encode(data)
    }

    // MARK: Sections

    private static func about(_ members: [Team]) -> AnnualReportData.About {
        let byCategory = Dictionary(grouping: members, by: { $0.category.name }).map { name, teams in
            AnnualReportData.About.Group(name: name, teams: teams.map(\.shortName).sorted())
        }.sorted { ($0.teams.count, $1.name) > ($1.teams.count, $0.name) }
        let byEconomy = Dictionary(grouping: members, by: { $0.economy.name }).map { name, teams in
            AnnualReportData.About.Group(name: name, teams: teams.map(\.shortName).sorted())
        }.sorted { $0.name < $1.name }
        return .init(
            members: members.count, economies: byEconomy.count, byCategory: byCategory, byEconomy: byEconomy,
            secretariat: members.filter(\.isSecretariat).map(\.shortName).sorted())
    }

    private static func activities(_ window: (from: Date, to: Date), on db: any Database) async throws
        -> AnnualReportData.Activities
    {
        let drills = try await Drill.query(on: db).filter(\.$startsAt >= window.from).filter(\.$startsAt < window.to)
            .sort(\.$startsAt).all()
        var drillItems: [AnnualReportData.Activities.Item] = []
        for drill in drills {
            let players = try await DrillParticipant.query(on: db).filter(\.$drillID == drill.requireID())
                .filter(\.$part == .player).all()
            let members = players.filter { !$0.partner }.map(\.teamID)
            let economies = try await Team.query(on: db).filter(\.$id ~~ members).all().map(\.$economy.id)
            let partners = players.filter(\.partner).count
            drillItems.append(
                .init(
                    date: ISODate.string(drill.startsAt), title: drill.title,
                    outcome: "\(members.count) member teams of \(Set(economies).count) economies played"
                        + (partners > 0 ? ", with \(partners) partner teams" : "")))
        }
        let checks = try await CommCheck.query(on: db).filter(\.$startedAt >= window.from)
            .filter(\.$startedAt < window.to).sort(\.$startedAt).all()
        var checkItems: [AnnualReportData.Activities.Item] = []
        for check in checks {
            let challenges = try await CommChallenge.query(on: db).filter(\.$checkID == check.requireID()).all()
            let teams = Set(challenges.map(\.teamID))
            let reached = Set(
                challenges.filter { ($0.answeredAt.map { $0 <= check.closesAt }) ?? false }.map(\.teamID))
            checkItems.append(
                .init(
                    date: ISODate.string(check.startedAt), title: check.title,
                    outcome: "\(reached.count) of \(teams.count) teams answered within the window"))
        }
        return .init(
            drills: drillItems, checks: checkItems,
            governance: try await ReportGovernanceActivities.items(from: window.from, to: window.to, on: db))
    }

    private static func teamTimes(
        _ members: [Team], rows: [IncidentListRow], _ window: (from: Date, to: Date), _ cutoff: Date,
        _ db: any Database
    ) async throws -> [AnnualReportData.TeamTimes] {
        var result: [AnnualReportData.TeamTimes] = []
        for team in members {
            let id = try team.requireID()
            result.append(
                .init(
                    team: team.slug, name: team.shortName,
                    timeToAcknowledge: .init(
                        StatisticsService.durations(rows, team: id, to: \.acknowledgedAt, cutoff: cutoff)),
                    timeToResolve: .init(StatisticsService.durations(rows, team: id, to: \.resolvedAt, cutoff: cutoff)),
                    checks: try await MeasuredFigures.communicationChecks(
                        from: window.from, to: window.to, team: id, on: db)))
        }
        return result
    }

    static let sensorDefinition =
        "Packets and distinct source addresses the forum's darknet sensors saw per protocol and port over the year (UTC days), ranked, beside the rank the same service had the year before; a sensor's uptime is the hours it delivered over the hours since it was registered (or the year began) up to the cut-off."

    private static func sensors(period: ReportingPeriod, cutoff: Date, app: Application, on db: any Database)
        async throws -> AnnualReportData.Sensors
    {
        func overview(_ period: ReportingPeriod) async throws -> TrafficOverview {
            let first = TrafficOverview.dayStart(containing: Int64(period.start.timeIntervalSince1970))
            let end = Int64(min(period.end, cutoff).timeIntervalSince1970)
            let days = Int(max(0, (end - first + 86_399) / 86_400))
            guard days > 0 else { return TrafficOverview(hours: [], firstDay: first, dayCount: 0) }
            return try await app.sensorOverviews.overview(
                SensorNetwork.Span(firstDay: first, dayCount: min(days, 366)), on: db)
        }
        func counts(_ overview: TrafficOverview) -> [PortRanking.Count] {
            overview.services.map {
                .init(service: $0.key.description, packets: $0.value.packets, sources: $0.value.sourceCount)
            }
        }
        let current = try await overview(period)
        var previous: TrafficOverview?
        if let earlier = period.previous { previous = try await overview(earlier) }
        var uptime: [AnnualReportData.Sensors.Uptime] = []
        if let sql = db as? any SQLDatabase {
            let from = Int64(period.start.timeIntervalSince1970)
            let to = Int64(min(period.end, cutoff).timeIntervalSince1970)
            let delivered = try await sql.raw(
                """
                SELECT sensor_id, COUNT(*) AS hours FROM sensor_hours
                WHERE hour >= \(bind: from) AND hour < \(bind: to) GROUP BY sensor_id
                """
            ).all().reduce(into: [UUID: Int]()) { map, row in
                if let id = try? row.decode(column: "sensor_id", as: UUID.self) {
                    map[id] = (try? row.decode(column: "hours", as: Int.self)) ?? 0
                }
            }
            for sensor in try await Sensor.query(on: db).with(\.$team).all() {
                let start = max(from, Int64(sensor.createdAt.timeIntervalSince1970) / 3600 * 3600)
                let expected = Int(max(0, (to - start) / 3600))
                guard expected > 0 else { continue }
                let hours = min(delivered[try sensor.requireID()] ?? 0, expected)
                uptime.append(
                    .init(
                        team: sensor.team.shortName, sensor: sensor.name, delivered: hours, expected: expected,
                        uptime: Figures.percent(hours, of: expected) ?? "0.0 %"))
            }
        }
        return .init(
            ports: PortRanking(current: counts(current), previous: previous.map(counts) ?? []),
            packets: current.total.packets, previousPackets: previous?.total.packets ?? 0,
            uptime: uptime.sorted { ($0.team, $0.sensor) < ($1.team, $1.sensor) }, definition: sensorDefinition)
    }

    /// The accepted submissions of `year` decided by the cut-off, by team.
    static func acceptedSubmissions(_ year: ReportingYear, cutoff: Date, on db: any Database) async throws
        -> [UUID: ReportSubmission]
    {
        try await ReportSubmission.query(on: db).filter(\.$reportingYear.$id == year.requireID())
            .filter(\.$state == SubmissionState.accepted.rawValue).all()
            .filter { ($0.decidedAt ?? .distantFuture) <= cutoff }
            .reduce(into: [:]) { $0[$1.$team.id] = $1 }
    }

    private static func teamSections(
        _ members: [Team], accepted: [UUID: ReportSubmission], year: ReportingYear, on db: any Database
    ) async throws -> [AnnualReportData.TeamSection] {
        let lastYear = try await ReportingYear.query(on: db).filter(\.$year == year.year - 1).first()
        var earlier: [UUID: ReportSubmission] = [:]
        if let lastYear { earlier = try await acceptedSubmissions(lastYear, cutoff: .distantFuture, on: db) }
        var sections: [AnnualReportData.TeamSection] = []
        for team in members.sorted(by: { $0.shortName.lowercased() < $1.shortName.lowercased() }) {
            let id = try team.requireID()
            let mapping = try await CategoryMappings.mapping(of: id, on: db)
            let submission = accepted[id]
            let period =
                ReportingPeriod(year: year.year, startMonth: submission?.startMonth ?? year.startMonth) ?? year.period
            let mapped = submission?.table.map(mapping.mapped)
            let previous = earlier[id]?.table.map(mapping.mapped)
            let total = mapped?.total ?? 0
            var byTaxonomy: [StatisticsDTO.TaxonomyRow] = []
            for (taxonomy, months) in zip(mapped?.categories ?? [], mapped?.counts ?? []) {
                let sum = months.reduce(0, +)
                guard sum > 0 else { continue }
                byTaxonomy.append(
                    StatisticsDTO.TaxonomyRow(
                        taxonomy: taxonomy, label: RSITClassification.label(taxonomy), months: months, total: sum))
            }
            let change: String? = previous.flatMap { Trend(previous: $0.total, current: total)?.description }
            let otherShare: String? = mapped.flatMap { Figures.percent($0.total(of: "other"), of: $0.total) }
            let section = AnnualReportData.TeamSection(
                team: team.slug, name: team.shortName, economy: team.economy.name, category: team.category.name,
                submitted: submission != nil, period: period.label, months: period.months.map(\.label),
                about: submission?.about ?? "", activities: submission?.activities ?? "",
                futurePlans: submission?.futurePlans ?? "", alerts: submission?.alerts,
                advisories: submission?.advisories, trainings: submission?.trainings, events: submission?.events,
                byTaxonomy: byTaxonomy, monthTotals: mapped?.monthTotals ?? Array(repeating: 0, count: 12),
                total: total, previousTotal: previous?.total, previousMonthTotals: previous?.monthTotals,
                change: change, otherShare: otherShare,
                otherWarning: mapped.map(CategoryMapping.otherIsTooLarge) ?? false)
            sections.append(section)
        }
        return sections
    }

    private static func comparisons(
        _ members: [Team], accepted: [UUID: ReportSubmission], rows: [IncidentListRow], period: ReportingPeriod,
        on db: any Database
    ) async throws -> [AnnualReportData.Comparison] {
        let facts = rows.map { StatisticsService.fact($0, economies: [:]) }
        var result: [AnnualReportData.Comparison] = []
        for team in members {
            let id = try team.requireID()
            guard let table = accepted[id]?.table else { continue }
            let declared = try await CategoryMappings.mapping(of: id, on: db).mapped(table).total
            let measured = IncidentStatistics.counters(facts, in: period, team: id).incidents
            let row = DeclaredAndMeasured.Row(category: team.slug, declared: declared, measured: measured)
            result.append(
                .init(
                    team: team.slug, name: team.shortName, declared: declared, measured: measured,
                    difference: row.difference, flag: row.flag.rawValue))
        }
        return result.sorted { $0.name.lowercased() < $1.name.lowercased() }
    }

    private static func digest(rows: [IncidentListRow], accepted: [UUID: ReportSubmission], data: AnnualReportData)
        throws -> String
    {
        var hasher = SHA256()
        for line in rows.map({ "\($0.id.uuidString)|\($0.tlp.rawValue)|\(Int($0.reportedAt.timeIntervalSince1970))" })
            .sorted()
        {
            hasher.update(data: Data((line + "\n").utf8))
        }
        for line in accepted.values.map({ "\($0.$team.id.uuidString)|\($0.version)" }).sorted() {
            hasher.update(data: Data((line + "\n").utf8))
        }
        hasher.update(data: try json(data))
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }
}
