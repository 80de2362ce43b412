import Foundation

/// One challenge of a communication check, as its figures see it.
public struct ChallengeOutcome: Sendable, Equatable {
    public let team: String
    public let sent: Date
    /// When it was answered, if it was, within the check's window or not.
    public let answered: Date?

    public init(team: String, sent: Date, answered: Date?) {
        self.team = team
        self.sent = sent
        self.answered = answered
    }
}

/// The figures of a communication check: how many contacts and teams answered within the window,
/// and how fast.
public struct CommCheckFigures: Sendable, Equatable, Codable {
    public let challenges: Int
    public let answered: Int
    /// % of challenges answered within the window.
    public let reachabilityPercent: Double
    public let teams: Int
    /// Teams with at least one contact answering within the window.
    public let reachableTeams: Int
    public let medianSecondsToAnswer: Double?
    public let p90SecondsToAnswer: Double?

    /// The figures of `outcomes` for a window of `window` seconds.
    public static func of(_ outcomes: [ChallengeOutcome], window: TimeInterval) -> CommCheckFigures {
        let inTime = outcomes.filter { outcome in
            outcome.answered.map { $0.timeIntervalSince(outcome.sent) <= window } ?? false
        }
        let times = inTime.compactMap { outcome in outcome.answered.map { $0.timeIntervalSince(outcome.sent) } }
            .sorted()
        let teams = Set(outcomes.map(\.team))
        return CommCheckFigures(
            challenges: outcomes.count, answered: inTime.count,
            reachabilityPercent: DrillFigures.percent(inTime.count, of: outcomes.count), teams: teams.count,
            reachableTeams: Set(inTime.map(\.team)).count, medianSecondsToAnswer: DrillFigures.quantile(times, 0.5),
            p90SecondsToAnswer: DrillFigures.quantile(times, 0.9))
    }
}
