import Foundation

/// A drill scenario as its file states it, once `ScenarioReader` has checked it: the storyline,
/// the clock, who plays, and the injects released to them. The file format is documented in
/// `docs/drill-scenarios.md`.
public struct DrillScenario: Sendable, Equatable, Codable {
    /// Who takes part: every full member of the forum, or the teams named (by slug).
    public enum Participants: Sendable, Equatable, Codable {
        case allFullMembers
        case teams([String])
    }

    public let title: String
    public let storyline: String
    /// The instant the drill starts; nil when the scenario runs on a relative clock and the drill
    /// chooses its start.
    public let start: Date?
    /// How long the drill lasts, in seconds.
    public let durationSeconds: Int
    public let participants: Participants
    /// The injects, in the order of their offsets (then of the file).
    public let injects: [DrillInject]

    /// Creates a scenario.
    public init(
        title: String, storyline: String, start: Date?, durationSeconds: Int, participants: Participants,
        injects: [DrillInject]
    ) {
        self.title = title
        self.storyline = storyline
        self.start = start
        self.durationSeconds = durationSeconds
        self.participants = participants
        self.injects = injects
    }

    /// The one-line summary `concord drill validate` prints: injects, teams and duration.
    public var summary: String {
        let teams: String
        switch participants {
        case .allFullMembers: teams = "all full members"
        case .teams(let slugs): teams = "\(slugs.count) team\(slugs.count == 1 ? "" : "s")"
        }
        let channels = Dictionary(grouping: injects, by: \.channel).sorted { $0.key.rawValue < $1.key.rawValue }
            .map { "\($0.value.count) \($0.key.rawValue)" }.joined(separator: ", ")
        return "\"\(title)\": \(injects.count) inject\(injects.count == 1 ? "" : "s") (\(channels)) for \(teams) "
            + "over \(DrillDuration.text(durationSeconds))"
    }
}

/// One inject: what exercise control releases to the players at an offset from the start, and
/// what it expects back.
public struct DrillInject: Sendable, Equatable, Codable {
    /// How an inject reaches its recipients.
    public enum Channel: String, Sendable, Equatable, Codable, CaseIterable {
        /// As a drill incident in the team's drill inbox (never in the real incident queue).
        case incident
        /// As mail to the team's emergency address, encrypted to its key.
        case email
        /// In the team's drill inbox on the web.
        case web
    }

    /// Who receives it: every playing team, or the teams named (by slug).
    public enum Recipients: Sendable, Equatable, Codable {
        case allPlayers
        case teams([String])
    }

    /// A name unique in the scenario (letters, digits and hyphens).
    public let id: String
    /// Seconds after the start.
    public let offsetSeconds: Int
    public let recipients: Recipients
    public let channel: Channel
    /// Subject and body may hold placeholders (`DrillPlaceholders`), filled per team.
    public let subject: String
    public let body: String
    /// Files shipped with the scenario, relative to its folder.
    public let attachments: [String]
    /// What the players must do, and by when; nil when the inject is for information only.
    public let expectation: DrillExpectation?

    /// Creates an inject.
    public init(
        id: String, offsetSeconds: Int, recipients: Recipients, channel: Channel, subject: String, body: String,
        attachments: [String], expectation: DrillExpectation?
    ) {
        self.id = id
        self.offsetSeconds = offsetSeconds
        self.recipients = recipients
        self.channel = channel
        self.subject = subject
        self.body = body
        self.attachments = attachments
        self.expectation = expectation
    }
}

/// The response an inject expects, with the time allowed after its release.
public struct DrillExpectation: Sendable, Equatable, Codable {
    /// What the players must do.
    public enum Action: Sendable, Equatable, Codable {
        /// Acknowledge the inject.
        case acknowledge
        /// Report an incident carrying these observables (normalised).
        case reportIncident(observables: [String])
        /// Notify (hand over to) the team named.
        case notifyTeam(String)
        /// Answer the question; an answer holding one of `accepted` (ignoring case) is matched at
        /// once, any other is left to exercise control.
        case answer(question: String, accepted: [String])

        /// The action's name in scenario files.
        public var name: String {
            switch self {
            case .acknowledge: return "acknowledge"
            case .reportIncident: return "report-incident"
            case .notifyTeam: return "notify-team"
            case .answer: return "answer"
            }
        }
    }

    public let action: Action
    /// Seconds allowed after the inject's release.
    public let withinSeconds: Int

    /// Creates an expectation.
    public init(action: Action, withinSeconds: Int) {
        self.action = action
        self.withinSeconds = withinSeconds
    }
}
