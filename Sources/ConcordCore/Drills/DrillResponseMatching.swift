import Foundation

/// What a player did in answer to an inject.
public enum DrillResponse: Sendable, Equatable {
    /// Acknowledged the inject.
    case acknowledge
    /// Reported a (drill) incident with these observables.
    case reportIncident(observables: [String])
    /// Handed over to, or notified, the team with this slug.
    case handOver(team: String)
    /// Answered in words.
    case answer(String)
    /// Commented; never satisfies an expectation.
    case comment(String)
}

/// How a response stands against the inject's expectation.
public enum DrillMatch: String, Sendable, Equatable, Codable {
    /// It is what the inject asked for.
    case satisfied
    /// It may be: exercise control decides (an answer without an accepted word).
    case needsConfirmation = "needs-confirmation"
    /// It is not what the inject asked for (an acknowledgement still counts as one).
    case unrelated
}

/// Matches players' responses to expectations, without exercise control where the rules allow.
public enum DrillResponseMatching {
    /// How `response` stands against `expectation`.
    public static func match(_ response: DrillResponse, _ expectation: DrillExpectation.Action) -> DrillMatch {
        switch (expectation, response) {
        case (.acknowledge, .acknowledge):
            return .satisfied
        case (.reportIncident(let expected), .reportIncident(let reported)):
            let given = Set(reported.compactMap { Observable.detect($0)?.description })
            return Set(expected).isSubset(of: given) ? .satisfied : .unrelated
        case (.notifyTeam(let expected), .handOver(let team)):
            return team == expected ? .satisfied : .unrelated
        case (.answer(_, let accepted), .answer(let text)):
            let words = text.lowercased()
            return accepted.contains { words.contains($0.lowercased()) } ? .satisfied : .needsConfirmation
        default:
            return .unrelated
        }
    }
}
