import ConcordCore
import Vapor

/// One observable as a client writes it; `kind` may be left out and is then detected.
struct ObservableInput: Content {
    var kind: String?
    var value: String
}

/// The body of `POST /incidents` and (observables and economy only) `POST /incidents/preview`.
struct IncidentInput: Content {
    var title: String?
    var description: String?
    /// `taxonomy/type` from RSIT, e.g. `malicious-code/c2-server`.
    var classification: String?
    var severity: String?
    var tlp: String?
    /// E-mail addresses of the people a TLP:RED incident is for.
    var recipients: [String]?
    var firstSeen: Date?
    var observables: [ObservableInput]
    /// An economy (ISO code) to fall back to when an observable matches no constituency.
    var economy: String?
    /// Teams (slugs) the reporter adds to, or removes from, the routing result.
    var addTeams: [String]?
    var removeTeams: [String]?
}

/// The severities a report may carry.
enum IncidentSeverity: String, CaseIterable, Sendable {
    case low, medium, high, critical
}

/// A team the routing chose, and why.
struct RoutedTeamDTO: Content, Equatable {
    let team: String
    let teamName: String
    let reasons: [String]
}

/// One observable as shown.
struct ObservableDTO: Content, Equatable {
    let kind: String
    let value: String
}

/// One team's assignment as shown.
struct AssignmentDTO: Content {
    let team: String
    let teamName: String
    let state: String
    let escalations: Int
    let deadline: Date?
    let reasons: [String]
    let declineReason: String?
}

/// One timeline line.
struct TimelineDTO: Content {
    let at: Date
    let actor: String
    let text: String
    /// `event` (Concord) or `comment` (a person).
    let kind: String
}

/// An incident in a list.
struct IncidentSummaryDTO: Content {
    let number: String
    let title: String
    let classification: String
    let severity: String
    let tlp: String
    let state: String
    let reporterTeam: String
    let reportedAt: Date
}

/// An incident with everything the viewer may see (the policy has allowed it as a whole).
struct IncidentDTO: Content {
    let number: String
    let title: String
    let description: String
    let classification: String
    let severity: String
    let tlp: String
    let recipients: [String]
    let state: String
    let reporterTeam: String
    let reporter: String
    let firstSeen: Date?
    let reportedAt: Date
    let closedAt: Date?
    let observables: [ObservableDTO]
    let assignments: [AssignmentDTO]
    let timeline: [TimelineDTO]
    let attachments: [AttachmentDTO]
}

/// A file attached to an incident.
struct AttachmentDTO: Content {
    let id: UUID
    let filename: String
    let contentType: String
    let size: Int
    let sha256: String
    let uploadedBy: String
    let uploadedAt: Date
}

/// One line of a team's inbox.
struct InboxItemDTO: Content {
    let number: String
    let title: String
    let tlp: String
    let severity: String
    let state: String
    /// assigned, reported, triage, escalated or named.
    let reason: String
    /// The viewer's team's assignment, when it has one.
    let teamState: String?
    let deadline: Date?
    let escalations: Int
    let unread: Bool
    let lastActivity: Date
}

/// `GET /inbox`.
struct InboxDTO: Content {
    let unread: Int
    let items: [InboxItemDTO]
}

/// `POST /incidents/:incident/comments`.
struct CommentInput: Content {
    var text: String
}

/// `POST /incidents/:incident/routing`: the secretariat's re-routing.
struct RerouteInput: Content {
    var addTeams: [String]?
    var removeTeams: [String]?
    var note: String?
}

/// The body of `POST /incidents/:incident/assignments/:team`.
struct AssignmentEventInput: Content {
    /// `acknowledge`, `start`, `resolve`, `decline` or `reopen`.
    var event: String
    /// With `decline`: `not-ours`, `duplicate` or `false-positive`.
    var reason: String?

    func procedureEvent() throws -> AssignmentEvent {
        switch event {
        case "acknowledge": return .acknowledge
        case "start": return .start
        case "resolve": return .resolve
        case "reopen": return .reopen
        case "decline":
            guard let reason = reason.flatMap(DeclineReason.init(rawValue:)) else {
                throw ConcordError.invalid(
                    field: "reason", "decline needs a reason: not-ours, duplicate or false-positive")
            }
            return .decline(reason)
        default:
            throw ConcordError.invalid(field: "event", "must be acknowledge, start, resolve, decline or reopen")
        }
    }
}
