import ConcordCore
import Foundation

/// The words of an inject as a team receives it: the scenario's subject and body with the team's
/// placeholders filled, under marks that nobody can take for a real incident.
enum DrillInjectText {
    /// Drill traffic is TLP:AMBER: the teams of the drill and their own people.
    static let tlp = TLPLabel.amber
    /// The first and last line of every drill message.
    static let banner = "*** EXERCISE EXERCISE EXERCISE: this is drill traffic, not a real incident ***"

    /// The placeholder values for one team.
    static func values(drill: Drill, team: Team) -> [String: String] {
        let zone = TimeZone(identifier: team.timeZone) ?? .gmt
        return [
            "team.name": team.shortName, "team.full_name": team.fullName, "team.economy": team.economy.name,
            "team.slug": team.slug, "drill.title": drill.title,
            "drill.start": NotificationText.local(drill.startsAt, in: zone),
        ]
    }

    /// `[DRILL] [TLP:AMBER] <subject>`.
    static func subject(_ inject: DrillInjectRecord, drill: Drill, team: Team) -> String {
        "[DRILL] [\(tlp.rawValue)] " + DrillPlaceholders.fill(inject.subject, with: values(drill: drill, team: team))
    }

    /// The mail's text: banner, label, the inject, what is expected and by when, where to answer.
    static func body(
        _ inject: DrillInjectRecord, drill: Drill, team: Team, expectation: DrillExpectation?, deadline: Date?
    ) -> String {
        var lines = [banner, tlp.rawValue, "", "Drill: \(drill.title)", ""]
        lines.append(DrillPlaceholders.fill(inject.body, with: values(drill: drill, team: team)))
        if let expectation, let deadline {
            let zone = TimeZone(identifier: team.timeZone) ?? .gmt
            lines += [
                "",
                "Expected from \(team.shortName): \(describe(expectation.action)), by "
                    + "\(NotificationText.local(deadline, in: zone)) (\(NotificationText.utc(deadline))).",
            ]
        }
        let id = drill.id?.uuidString.lowercased() ?? ""
        lines += ["", "Answer in Concord: \(NotificationText.publicURL)/drills/\(id)", "", banner]
        return lines.joined(separator: "\n")
    }

    /// The expectation in words.
    static func describe(_ action: DrillExpectation.Action) -> String {
        switch action {
        case .acknowledge: return "acknowledge this inject"
        case .reportIncident(let observables):
            return "report an incident with \(observables.joined(separator: ", "))"
        case .notifyTeam: return "hand the case over to the team responsible"
        case .answer(let question, _): return "answer: \(question)"
        }
    }
}
