import ConcordCore
import Fluent
import Foundation

/// One responsible team's part in an incident: its state in the procedure, its acknowledgement
/// deadline and why it was chosen.
// @unchecked Sendable: see Economy.
final class IncidentAssignment: Model, @unchecked Sendable {
    static let schema = "incident_assignments"

    @ID(key: .id) var id: UUID?
    @Parent(key: "incident_id") var incident: Incident
    @Parent(key: "team_id") var team: Team
    @Field(key: "state") var state: AssignmentState
    @Field(key: "escalations") var escalations: Int
    @OptionalField(key: "deadline") var deadline: Date?
    /// Why the team was chosen, one reason a line ("203.0.113.7 in 203.0.113.0/25 of JPCERT/CC").
    @Field(key: "reasons") var reasons: String
    @OptionalField(key: "decline_reason") var declineReason: DeclineReason?
    /// When the team was asked to act, first acknowledged (or started, or resolved) and resolved;
    /// nil before `UpdateAssignmentAddProcedureTimes`, and while it has not happened.
    @OptionalField(key: "notified_at") var notifiedAt: Date?
    @OptionalField(key: "acknowledged_at") var acknowledgedAt: Date?
    @OptionalField(key: "resolved_at") var resolvedAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    init() {}

    init(incidentID: UUID, teamID: UUID, reasons: [String], deadline: Date?, notifiedAt: Date? = nil) {
        self.$incident.id = incidentID
        self.$team.id = teamID
        self.state = .notified
        self.notifiedAt = notifiedAt
        self.escalations = 0
        self.deadline = deadline
        self.reasons = reasons.joined(separator: "\n")
    }

    /// The stored state as the procedure sees it.
    var procedure: AssignmentProcedure {
        AssignmentProcedure(state: state, escalations: escalations)
    }
}

extension IncidentAssignment {
    /// Moves to `state` at `time`, noting the first acknowledgement (acknowledging, starting or
    /// resolving all answer the notification; declining does not) and the resolution.
    func move(to state: AssignmentState, at time: Date) {
        self.state = state
        if acknowledgedAt == nil, [.acknowledged, .inProgress, .resolved].contains(state) { acknowledgedAt = time }
        if resolvedAt == nil, state == .resolved { resolvedAt = time }
    }
}
