import Foundation

/// One inject as one team lived it, the raw material of a drill's report.
public struct DrillOutcome: Sendable, Equatable {
    public let team: String
    public let economy: String
    /// A team of a partner forum (counted apart).
    public let partner: Bool
    public let inject: String
    public let delivered: Date
    public let deadline: Date?
    public let acknowledged: Date?
    public let completed: Date?

    /// Creates an outcome.
    public init(
        team: String, economy: String, partner: Bool, inject: String, delivered: Date, deadline: Date?,
        acknowledged: Date?, completed: Date?
    ) {
        self.team = team
        self.economy = economy
        self.partner = partner
        self.inject = inject
        self.delivered = delivered
        self.deadline = deadline
        self.acknowledged = acknowledged
        self.completed = completed
    }

    /// Seconds from delivery to acknowledgement.
    public var secondsToAcknowledge: Double? { acknowledged.map { $0.timeIntervalSince(delivered) } }
    /// Seconds from delivery to the expected response.
    public var secondsToComplete: Double? { completed.map { $0.timeIntervalSince(delivered) } }
    /// Whether the expected response came by the deadline.
    public var completedInTime: Bool {
        guard let completed else { return false }
        return deadline.map { completed <= $0 } ?? true
    }
}

/// The forum-wide figures a drill report quotes, computed from the outcomes of the member teams
/// (partners are counted apart, never mixed in).
public struct DrillFigures: Sendable, Equatable, Codable {
    /// Teams invited to play and the economies they come from.
    public let invitedTeams: Int
    public let economies: Int
    /// Invited teams that did anything at all (an acknowledgement, at least).
    public let participatingTeams: Int
    public let participationPercent: Double
    /// Partner-forum teams invited, and those that took part.
    public let partnerTeams: Int
    public let participatingPartners: Int
    /// For each threshold in minutes: the % of invited teams that acknowledged their first inject
    /// within it.
    public let acknowledgedWithin: [Int: Double]
    /// Median and 90th percentile of the time to acknowledge, over every acknowledged inject, in
    /// seconds; nil when none was.
    public let medianSecondsToAcknowledge: Double?
    public let p90SecondsToAcknowledge: Double?
    /// Injects with an expected response, and those answered by their deadline.
    public let expectedResponses: Int
    public let completedInTime: Int
    public let completedLate: Int
    public let overdue: Int
    /// Answers (comments aside) of the member teams, and those that came signed with the team's key.
    public let answers: Int
    public let signedAnswers: Int
    public let signedPercent: Double

    /// The figures of `outcomes`, for `invited` member teams (slug to economy) and `partners`.
    public static func of(
        _ outcomes: [DrillOutcome], invited: [String: String], partners: Set<String>, thresholds: [Int],
        withDeadlineAt now: Date, signatures: [Bool] = []
    ) -> DrillFigures {
        let members = outcomes.filter { !$0.partner }
        let acting = Set(members.filter { $0.acknowledged != nil }.map(\.team))
        let partnerActing = Set(outcomes.filter { $0.partner && $0.acknowledged != nil }.map(\.team))
        var within: [Int: Double] = [:]
        let firsts = Dictionary(grouping: members, by: \.team).compactMapValues {
            $0.min { $0.delivered < $1.delivered }
        }
        for minutes in thresholds {
            let count = firsts.values.filter { ($0.secondsToAcknowledge ?? .infinity) <= Double(minutes * 60) }.count
            within[minutes] = percent(count, of: invited.count)
        }
        let times = members.compactMap(\.secondsToAcknowledge).sorted()
        let expected = members.filter { $0.deadline != nil }
        return DrillFigures(
            invitedTeams: invited.count, economies: Set(invited.values).count, participatingTeams: acting.count,
            participationPercent: percent(acting.count, of: invited.count), partnerTeams: partners.count,
            participatingPartners: partnerActing.count, acknowledgedWithin: within,
            medianSecondsToAcknowledge: quantile(times, 0.5), p90SecondsToAcknowledge: quantile(times, 0.9),
            expectedResponses: expected.count, completedInTime: expected.filter(\.completedInTime).count,
            completedLate: expected.filter { $0.completed != nil && !$0.completedInTime }.count,
            overdue: expected.filter { $0.completed == nil && ($0.deadline ?? now) < now }.count,
            answers: signatures.count, signedAnswers: signatures.filter { $0 }.count,
            signedPercent: percent(signatures.filter { $0 }.count, of: signatures.count))
    }

    /// `part` as a percentage of `whole`, one decimal; 0 of nothing is 0.
    static func percent(_ part: Int, of whole: Int) -> Double {
        whole == 0 ? 0 : (Double(part) * 1000 / Double(whole)).rounded() / 10
    }

    /// The nearest-rank quantile of sorted values.
    public static func quantile(_ sorted: [Double], _ q: Double) -> Double? {
        guard !sorted.isEmpty else { return nil }
        let rank = Int((q * Double(sorted.count)).rounded(.up))
        return sorted[min(max(rank, 1), sorted.count) - 1]
    }
}
