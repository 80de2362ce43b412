import ConcordCore
import Fluent
import Foundation

/// A reported incident: what is happening and how to stop it (the forum's common policy keeps no
/// fields for attribution or motive), classified by RSIT and marked with TLP 2.0.
// @unchecked Sendable: see Economy.
final class Incident: Model, @unchecked Sendable {
    static let schema = "incidents"

    @ID(key: .id) var id: UUID?
    /// Forum-wide number, `INC-2026-000123`.
    @Field(key: "number") var number: String
    @Field(key: "title") var title: String
    @Field(key: "description") var details: String
    @Parent(key: "reporter_team_id") var reporterTeam: Team
    @Parent(key: "reporter_user_id") var reporterUser: User
    @Field(key: "taxonomy") var taxonomy: String
    @Field(key: "type") var type: String
    @Field(key: "severity") var severity: String
    @Field(key: "tlp") var tlp: TLPLabel
    @OptionalField(key: "first_seen") var firstSeen: Date?
    @Field(key: "reported_at") var reportedAt: Date
    @OptionalField(key: "closed_at") var closedAt: Date?
    /// The incident this one was merged into as a duplicate.
    @OptionalField(key: "duplicate_of_id") var duplicateOfID: UUID?
    @Children(for: \.$incident) var observables: [IncidentObservable]
    @Children(for: \.$incident) var assignments: [IncidentAssignment]
    @Children(for: \.$incident) var timeline: [IncidentTimelineEntry]
    @Children(for: \.$incident) var recipients: [IncidentRecipient]
    @Children(for: \.$incident) var attachments: [IncidentAttachment]

    init() {}
}

/// One observable of an incident, stored normalised.
// @unchecked Sendable: see Economy.
final class IncidentObservable: Model, @unchecked Sendable {
    static let schema = "incident_observables"

    @ID(key: .id) var id: UUID?
    @Parent(key: "incident_id") var incident: Incident
    @Field(key: "kind") var kind: String
    @Field(key: "value") var value: String

    init() {}

    init(incidentID: UUID, kind: String, value: String) {
        self.$incident.id = incidentID
        self.kind = kind
        self.value = value
    }
}

/// A person named as a recipient of a TLP:RED incident.
// @unchecked Sendable: see Economy.
final class IncidentRecipient: Model, @unchecked Sendable {
    static let schema = "incident_recipients"

    @ID(key: .id) var id: UUID?
    @Parent(key: "incident_id") var incident: Incident
    @Parent(key: "user_id") var user: User

    init() {}

    init(incidentID: UUID, userID: UUID) {
        self.$incident.id = incidentID
        self.$user.id = userID
    }
}

/// One line of an incident's timeline.
// @unchecked Sendable: see Economy.
final class IncidentTimelineEntry: Model, @unchecked Sendable {
    static let schema = "incident_timeline"

    @ID(key: .id) var id: UUID?
    @Parent(key: "incident_id") var incident: Incident
    @Field(key: "at") var at: Date
    @Field(key: "actor") var actor: String
    @Field(key: "text") var text: String
    /// `event` (written by Concord) or `comment` (written by a person).
    @Field(key: "kind") var kind: String

    init() {}

    init(incidentID: UUID, at: Date, actor: String, text: String, kind: String = "event") {
        self.$incident.id = incidentID
        self.at = at
        self.actor = actor
        self.text = text
        self.kind = kind
    }
}
