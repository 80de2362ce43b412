import Foundation

/// What the statistics know of one incident: when, its RSIT class, which team reported it and
/// which teams (and economies) were asked to act. No title, no observable: nothing a figure needs
/// that a reader may not see.
public struct IncidentFact: Equatable, Sendable {
    public let reportedAt: Date
    /// `taxonomy/type`.
    public let classification: String
    public let reporter: UUID
    public let assignees: Set<UUID>
    /// The economies of the assignees.
    public let assigneeEconomies: Set<String>
    /// True when the incident was merged into another (it stays a report, not an incident).
    public let isDuplicate: Bool

    public init(
        reportedAt: Date, classification: String, reporter: UUID, assignees: Set<UUID>,
        assigneeEconomies: Set<String>, isDuplicate: Bool = false
    ) {
        self.reportedAt = reportedAt
        self.classification = classification
        self.reporter = reporter
        self.assignees = assignees
        self.assigneeEconomies = assigneeEconomies
        self.isDuplicate = isDuplicate
    }

    /// Test traffic (RSIT `test`) never enters incident figures.
    public var isTest: Bool { classification == "test" || classification.hasPrefix("test/") }
    /// The RSIT taxonomy.
    public var taxonomy: String { String(classification.split(separator: "/").first ?? "other") }
}

/// The three counters national teams keep apart, and the cross-border count.
public struct IncidentCounters: Equatable, Sendable, Codable {
    /// Reports received (duplicates included).
    public var reports = 0
    /// Incidents (duplicates merged).
    public var incidents = 0
    /// Incidents where at least one team other than the reporter was asked to act.
    public var casesCoordinated = 0
    /// Incidents assigned to teams of at least two economies.
    public var crossBorder = 0

    public init() {}

    /// Both counts added (figures counted in two parts).
    public static func + (lhs: IncidentCounters, rhs: IncidentCounters) -> IncidentCounters {
        var sum = IncidentCounters()
        sum.reports = lhs.reports + rhs.reports
        sum.incidents = lhs.incidents + rhs.incidents
        sum.casesCoordinated = lhs.casesCoordinated + rhs.casesCoordinated
        sum.crossBorder = lhs.crossBorder + rhs.crossBorder
        return sum
    }
}

/// Incident figures over a period, for the forum or one team.
public enum IncidentStatistics {
    /// The counters of `facts` in `period`, the forum's or (with `team`) those where the team
    /// reported or was asked to act. A team's case is coordinated when another team was asked too.
    public static func counters(_ facts: [IncidentFact], in period: ReportingPeriod, team: UUID? = nil)
        -> IncidentCounters
    {
        var counters = IncidentCounters()
        for fact in facts where !fact.isTest && period.monthIndex(of: fact.reportedAt) != nil {
            if let team, fact.reporter != team && !fact.assignees.contains(team) { continue }
            counters.reports += 1
            guard !fact.isDuplicate else { continue }
            counters.incidents += 1
            let others = fact.assignees.subtracting([team ?? fact.reporter])
            if !others.isEmpty { counters.casesCoordinated += 1 }
            if fact.assigneeEconomies.count >= 2 { counters.crossBorder += 1 }
        }
        return counters
    }

    /// Incidents (duplicates merged) by RSIT taxonomy and month, every taxonomy listed.
    public static func byTaxonomyAndMonth(_ facts: [IncidentFact], in period: ReportingPeriod, team: UUID? = nil)
        -> CountTable
    {
        let categories = CategoryMapping.reportingCategories
        var counts = Dictionary(uniqueKeysWithValues: categories.map { ($0, Array(repeating: 0, count: 12)) })
        for fact in facts where !fact.isTest && !fact.isDuplicate {
            if let team, fact.reporter != team && !fact.assignees.contains(team) { continue }
            guard let month = period.monthIndex(of: fact.reportedAt) else { continue }
            let taxonomy = categories.contains(fact.taxonomy) ? fact.taxonomy : "other"
            counts[taxonomy]?[month] += 1
        }
        return CountTable(categories: categories, counts: categories.map { counts[$0] ?? [] })
    }
}
