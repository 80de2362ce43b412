import ConcordCore
import Foundation
import Vapor

/// `POST /api/v1/comm-checks`.
struct CommCheckInput: Content {
    let title: String
    /// Hours a contact has to answer (default 24).
    let windowHours: Int?
    /// Or minutes, for a quick check.
    var windowMinutes: Int? = nil
    /// Contact kinds to challenge (default emergency-email and phone-24x7).
    let kinds: [String]?
}

/// `POST /api/v1/comm-check-schedules`: a check that repeats.
struct CommCheckScheduleInput: Content {
    let title: String
    let everyDays: Int
    let windowHours: Int?
    /// The first run (default: now plus `everyDays`).
    let firstAt: Date?
}

/// A check as lists show it.
struct CommCheckDTO: Content, Equatable {
    let id: UUID
    let title: String
    let startedAt: Date
    let closesAt: Date

    init(_ check: CommCheck) throws {
        id = try check.requireID()
        title = check.title
        startedAt = check.startedAt
        closesAt = check.closesAt
    }
}

/// A schedule as the API shows it.
struct CommCheckScheduleDTO: Content, Equatable {
    let id: UUID
    let title: String
    let everyDays: Int
    let windowSeconds: Int
    let nextAt: Date
}

/// The report of one check.
struct CommCheckReportDTO: Content, Equatable {
    /// One contact challenged.
    struct Challenge: Content, Equatable {
        let id: UUID
        let kind: String
        let channel: String
        let address: String
        let answered: Bool
        let answeredVia: String?
        let secondsToAnswer: Int?
        /// Found about the contact, and what became of the mail.
        let findings: [String]
    }

    /// One team's contacts.
    struct TeamResult: Content, Equatable {
        let team: String
        let name: String
        let economy: String
        let reachable: Bool
        let challenges: [Challenge]
    }

    let id: UUID
    let title: String
    let startedAt: Date
    let closesAt: Date
    let closed: Bool
    let figures: CommCheckFigures
    let teams: [TeamResult]
}

/// One check in a team's history.
struct CommCheckHistoryDTO: Content, Equatable {
    let check: UUID
    let title: String
    let startedAt: Date
    let challenges: Int
    let answered: Int
    let fastestSecondsToAnswer: Int?
    let findings: [String]
}
