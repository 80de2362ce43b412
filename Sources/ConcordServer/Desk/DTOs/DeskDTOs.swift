import ConcordCore
import Foundation
import Vapor

/// `GET /api/v1/desk` and the home page: what the viewer's team has to do now.
struct DeskDTO: Content {
    let team: String
    let generatedAt: Date
    /// The team's open assignments, due soonest first (those without a deadline last).
    let assignments: [DeskAssignmentDTO]
    /// Assignments escalated past their deadline: the team's own and, for the secretariat, those
    /// escalated to it.
    let escalations: [DeskAssignmentDTO]
    /// Surge alerts of the last 24 hours; nil when the viewer may not read the sensor network.
    let surgeAlerts: [SurgeAlertDTO]?
    /// Drills running or paused in which the team plays, observes or controls.
    let drills: [DeskDrillDTO]
    /// What keeps the team's directory entry from being true (keys expiring, contacts not verified).
    let findings: [DirectoryChecks.Finding]
    /// The forum-wide queue, for the secretariat and forum administrators only.
    let forum: DeskForumDTO?
}

/// How close an assignment's deadline is: past it, within 30 minutes, later, or none set.
enum DeskUrgency: String, Content, Sendable {
    case overdue, soon, later, none

    static let soonWithin: TimeInterval = 30 * 60

    init(deadline: Date?, now: Date) {
        guard let deadline else {
            self = .none
            return
        }
        let left = deadline.timeIntervalSince(now)
        self = left < 0 ? .overdue : left < Self.soonWithin ? .soon : .later
    }
}

/// One team's assignment in one open incident.
struct DeskAssignmentDTO: Content {
    let number: String
    let title: String
    let tlp: TLPLabel
    let team: String
    let teamSlug: String
    let state: AssignmentState
    let deadline: Date?
    /// "1 h 20 min left" or "overdue by 5 min", as of `generatedAt`.
    let timeLeft: String?
    let urgency: DeskUrgency
    let escalations: Int
}

/// An open incident routed to no team yet.
struct DeskIncidentDTO: Content {
    let number: String
    let title: String
    let tlp: TLPLabel
    let reporter: String
    let reportedAt: Date
}

/// A drill the team takes part in, and in which part.
struct DeskDrillDTO: Content {
    let id: UUID
    let title: String
    let state: String
    let part: String
    let startsAt: Date
}

/// The secretariat's view of the whole forum: every team's unacknowledged assignments, most
/// urgent first, and the incidents waiting for triage.
struct DeskForumDTO: Content {
    let unacknowledged: [DeskAssignmentDTO]
    let triage: [DeskIncidentDTO]
}
