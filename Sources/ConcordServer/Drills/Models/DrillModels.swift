import Fluent
import Foundation

/// A scenario in the forum's library: the file as uploaded (checked by `ScenarioReader`), kept
/// so that past drills can be run again.
// @unchecked Sendable: see Economy.
final class DrillScenarioRecord: Model, @unchecked Sendable {
    static let schema = "drill_scenarios"

    @ID(key: .id) var id: UUID?
    @Field(key: "title") var title: String
    /// The scenario's text, YAML or JSON, as uploaded.
    @Field(key: "source") var source: String
    /// `DrillScenario.summary` when it was uploaded.
    @Field(key: "summary") var summary: String
    @Field(key: "uploaded_by") var uploadedBy: UUID
    @Field(key: "created_at") var createdAt: Date

    init() {}
}

/// A file shipped with a scenario (an inject's attachment).
// @unchecked Sendable: see Economy.
final class DrillScenarioFile: Model, @unchecked Sendable {
    static let schema = "drill_scenario_files"

    @ID(key: .id) var id: UUID?
    @Field(key: "scenario_id") var scenarioID: UUID
    /// The path the scenario names it by.
    @Field(key: "name") var name: String
    @Field(key: "content") var content: Data

    init() {}
}

/// A run of a scenario on a date with chosen teams.
// @unchecked Sendable: see Economy.
final class Drill: Model, @unchecked Sendable {
    static let schema = "drills"

    /// Where a drill stands.
    enum State: String, Codable, Sendable, CaseIterable {
        /// Before its start (injects wait).
        case scheduled
        /// Injects are released as their time comes.
        case running
        /// Exercise control stopped the clock.
        case paused
        /// Over: nothing more is released; the report is final.
        case finished
    }

    @ID(key: .id) var id: UUID?
    @Field(key: "scenario_id") var scenarioID: UUID
    @Field(key: "title") var title: String
    /// The one instant the drill starts for every team.
    @Field(key: "starts_at") var startsAt: Date
    @Field(key: "duration_seconds") var durationSeconds: Int
    @Enum(key: "state") var state: State
    /// When exercise control paused the clock, while it is paused.
    @OptionalField(key: "paused_at") var pausedAt: Date?
    /// Seconds the clock stood still in earlier pauses.
    @Field(key: "paused_seconds") var pausedSeconds: Int
    @OptionalField(key: "finished_at") var finishedAt: Date?
    @Field(key: "created_by") var createdBy: UUID
    @Field(key: "created_at") var createdAt: Date

    init() {}

    /// Seconds of drill time at `now`: the time since the start, less the pauses; never negative.
    func elapsed(at now: Date) -> Int {
        let end = pausedAt ?? finishedAt ?? now
        return max(0, Int(end.timeIntervalSince(startsAt).rounded(.down)) - pausedSeconds)
    }
}

/// A team taking part in a drill, with its part.
// @unchecked Sendable: see Economy.
final class DrillParticipant: Model, @unchecked Sendable {
    static let schema = "drill_participants"

    /// What a team does in the drill.
    enum Part: String, Codable, Sendable, CaseIterable {
        /// Receives injects and is measured.
        case player
        /// Sees the drill, is not measured.
        case observer
        /// Runs the drill with the secretariat.
        case control
    }

    @ID(key: .id) var id: UUID?
    @Field(key: "drill_id") var drillID: UUID
    @Field(key: "team_id") var teamID: UUID
    @Enum(key: "part") var part: Part
    /// A team of a partner forum: counted apart in the report.
    @Field(key: "partner") var partner: Bool

    init() {}
}

/// One inject of a drill: from the scenario, or sent ad hoc by exercise control.
// @unchecked Sendable: see Economy.
final class DrillInjectRecord: Model, @unchecked Sendable {
    static let schema = "drill_injects"

    /// Where an inject stands.
    enum State: String, Codable, Sendable, CaseIterable {
        case pending, released, skipped
    }

    @ID(key: .id) var id: UUID?
    @Field(key: "drill_id") var drillID: UUID
    /// The scenario's inject id (`adhoc-N` for ad-hoc injects).
    @Field(key: "key") var key: String
    @Field(key: "offset_seconds") var offsetSeconds: Int
    @Field(key: "channel") var channel: String
    @Field(key: "subject") var subject: String
    @Field(key: "body") var body: String
    /// JSON: the team slugs, or null for every player.
    @OptionalField(key: "recipients") var recipients: String?
    /// JSON of `DrillExpectation`; nil for information only.
    @OptionalField(key: "expectation") var expectation: String?
    /// JSON: the attachment names.
    @Field(key: "attachments") var attachments: String
    @Enum(key: "state") var state: State
    @OptionalField(key: "released_at") var releasedAt: Date?
    @Field(key: "adhoc") var adhoc: Bool

    init() {}

    /// The slugs the inject is addressed to; nil for every player.
    var recipientSlugs: [String]? { recipients.flatMap(Self.strings) }

    /// The names of the files the inject attaches.
    var attachmentNames: [String] { Self.strings(attachments) ?? [] }

    private static func strings(_ json: String) -> [String]? {
        try? JSONDecoder().decode([String].self, from: Data(json.utf8))
    }
}

/// An inject delivered to one team, and how that team answered it.
// @unchecked Sendable: see Economy.
final class DrillDelivery: Model, @unchecked Sendable {
    static let schema = "drill_deliveries"

    @ID(key: .id) var id: UUID?
    @Field(key: "drill_id") var drillID: UUID
    @Field(key: "inject_id") var injectID: UUID
    @Field(key: "team_id") var teamID: UUID
    @Field(key: "delivered_at") var deliveredAt: Date
    /// When the expected response is due; nil for information only.
    @OptionalField(key: "deadline_at") var deadlineAt: Date?
    @OptionalField(key: "acknowledged_at") var acknowledgedAt: Date?
    /// When the expected response came (matched or confirmed).
    @OptionalField(key: "completed_at") var completedAt: Date?

    init() {}
}

/// Something a player did in a drill: acknowledge, report, hand over, answer or comment, with how
/// it matched the inject's expectation.
// @unchecked Sendable: see Economy.
final class DrillActionRecord: Model, @unchecked Sendable {
    static let schema = "drill_actions"

    @ID(key: .id) var id: UUID?
    @Field(key: "drill_id") var drillID: UUID
    @Field(key: "delivery_id") var deliveryID: UUID
    @Field(key: "team_id") var teamID: UUID
    @Field(key: "user_id") var userID: UUID
    /// acknowledge, report-incident, hand-over, answer or comment.
    @Field(key: "kind") var kind: String
    /// The answer's or comment's text, the observables (JSON) or the team handed over to.
    @Field(key: "detail") var detail: String
    /// `DrillMatch`'s raw value, or `confirmed` / `rejected` once exercise control decided.
    @Field(key: "outcome") var outcome: String
    @OptionalField(key: "decided_by") var decidedBy: UUID?
    /// Came as mail signed with the team's own key (`DrillReplies`).
    @Field(key: "signed") var signed: Bool
    @Field(key: "at") var at: Date

    init() {}
}
