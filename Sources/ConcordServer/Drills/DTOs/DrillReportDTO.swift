import ConcordCore
import Foundation
import Vapor

/// The after-action report of a drill (`GET /api/v1/drills/{id}/report`, and the page).
struct DrillReportDTO: Content, Equatable {
    /// One team's inject.
    struct Cell: Content, Equatable {
        let inject: String
        let offsetSeconds: Int
        let state: DrillProgress
        let deliveredAt: Date
        let deadlineAt: Date?
        let secondsToAcknowledge: Int?
        let secondsToComplete: Int?
        let late: Bool
    }

    /// One playing team's injects.
    struct TeamReport: Content, Equatable {
        let team: String
        let name: String
        let economy: String
        let partner: Bool
        let cells: [Cell]
        /// Expected responses that came by their deadline, of `expected`.
        let completedInTime: Int
        let expected: Int
    }

    /// An expected response that never came.
    struct Overdue: Content, Equatable {
        let team: String
        let inject: String
        let deadlineAt: Date?
    }

    /// One line of the exercise's timeline.
    struct Event: Content, Equatable {
        let at: Date?
        let team: String?
        let text: String
    }

    let id: UUID
    let title: String
    let state: String
    let startsAt: Date
    let finishedAt: Date?
    let durationSeconds: Int
    let thresholds: [Int]
    let figures: DrillFigures
    let teams: [TeamReport]
    let overdue: [Overdue]
    let timeline: [Event]
}
