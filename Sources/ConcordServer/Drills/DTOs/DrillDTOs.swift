import ConcordCore
import Foundation
import Vapor

/// A scenario of the library.
struct DrillScenarioDTO: Content, Equatable {
    let id: UUID
    let title: String
    let summary: String
    let createdAt: Date
    /// The file as uploaded (only in `GET /api/v1/drill-scenarios/{id}`).
    let source: String?

    init(_ record: DrillScenarioRecord, withSource: Bool = false) throws {
        id = try record.requireID()
        title = record.title
        summary = record.summary
        createdAt = record.createdAt
        source = withSource ? record.source : nil
    }
}

/// `POST /api/v1/drill-scenarios`: the scenario's text and its files (base64).
struct DrillScenarioInput: Content {
    let source: String
    let files: [String: String]?
}

/// `POST /api/v1/drills`: a run of a library scenario.
struct DrillInput: Content {
    /// A team and its part in the drill.
    struct Participant: Content {
        let team: String
        /// player (default), observer or control.
        let part: String?
        /// A team of a partner forum, counted apart.
        let partner: Bool?
    }

    let scenario: UUID
    let title: String?
    /// Required when the scenario has no start of its own (or `startsInSeconds`).
    let start: Date?
    /// Instead of `start`: this many seconds from now on the drill clock.
    var startsInSeconds: Int? = nil
    /// Default: the scenario's participants, all as players.
    let participants: [Participant]?
}

/// A drill as lists show it.
struct DrillDTO: Content, Equatable {
    let id: UUID
    let scenario: UUID
    let title: String
    let state: String
    let startsAt: Date
    let durationSeconds: Int

    init(_ drill: Drill) throws {
        id = try drill.requireID()
        scenario = drill.scenarioID
        title = drill.title
        state = drill.state.rawValue
        startsAt = drill.startsAt
        durationSeconds = drill.durationSeconds
    }
}

/// `POST /api/v1/drills/{id}/control`.
struct DrillControlInput: Content {
    /// pause, resume, finish; or release / skip with `inject`.
    let action: String
    let inject: String?
}

/// `POST /api/v1/drills/{id}/injects`: an ad-hoc inject, released at once.
struct DrillAdhocInput: Content {
    let id: String
    let to: [String]?
    let channel: String
    let subject: String
    let body: String
}

/// `POST /api/v1/drills/{id}/responses`: a player's action on an inject.
struct DrillResponseInput: Content {
    let inject: String
    /// acknowledge, report-incident, hand-over, answer or comment.
    let kind: String
    let observables: [String]?
    let team: String?
    let text: String?
}

/// A player's action as recorded, with how it matched.
struct DrillActionDTO: Content, Equatable {
    let id: UUID
    let kind: String
    let detail: String
    /// satisfied, needs-confirmation, unrelated, confirmed or rejected.
    let outcome: String
    /// Came as mail signed with the team's own key.
    let signed: Bool
    let at: Date

    init(_ action: DrillActionRecord) throws {
        id = try action.requireID()
        kind = action.kind
        detail = action.detail
        outcome = action.outcome
        signed = action.signed
        at = action.at
    }
}

/// `POST /api/v1/drills/{id}/actions/{action}/decision`.
struct DrillDecisionInput: Content {
    let confirmed: Bool
}

/// The live board (`GET /api/v1/drills/{id}/board`, and its event stream).
struct DrillBoardDTO: Content, Equatable {
    /// One inject of the drill.
    struct Inject: Content, Equatable {
        let key: String
        let offsetSeconds: Int
        let channel: String
        let subject: String
        let state: String
        let releasedAt: Date?
        /// The expected action's name; nil for information only.
        let expects: String?
        let adhoc: Bool
    }

    /// One team's state on one inject.
    struct Cell: Content, Equatable {
        let inject: String
        let state: DrillProgress
        let deliveredAt: Date?
        let deadlineAt: Date?
        let acknowledgedAt: Date?
        let completedAt: Date?
        let late: Bool
    }

    /// One playing team.
    struct Row: Content, Equatable {
        let team: String
        let name: String
        let economy: String
        let partner: Bool
        let timeZone: String
        /// The drill's start in the team's time zone.
        let startsLocal: String
        let cells: [Cell]
    }

    let id: UUID
    let title: String
    let state: String
    let startsAt: Date
    let elapsedSeconds: Int
    let durationSeconds: Int
    let injects: [Inject]
    let teams: [Row]
}
