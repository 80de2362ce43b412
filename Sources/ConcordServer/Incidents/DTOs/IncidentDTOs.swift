import ConcordCore
import Vapor

/// One observable as a client writes it; `kind` may be left out and is then detected.
public struct ObservableInput: Content {
    public var kind: String?
    public var value: String

    public init(kind: String? = nil, value: String) {
        self.kind = kind
        self.value = value
    }
}

/// The body of `POST /incidents` and (observables and economy only) `POST /incidents/preview`.
///
/// The TLP label stays text here, so that a bad one is answered with the field's name and the labels
/// it may be (`IncidentService` parses it once).
public struct IncidentInput: Content {
    public var title: String?
    public var description: String?
    /// `taxonomy/type` from RSIT, e.g. `malicious-code/c2-server`.
    public var classification: String?
    public var severity: String?
    public var tlp: String?
    /// E-mail addresses of the people a TLP:RED incident is for.
    public var recipients: [String]?
    public var firstSeen: Date?
    public var observables: [ObservableInput]
    /// An economy (ISO code) to fall back to when an observable matches no constituency.
    public var economy: String?
    /// Teams (slugs) the reporter adds to, or removes from, the routing result.
    public var addTeams: [String]?
    public var removeTeams: [String]?

    public init(
        title: String? = nil, description: String? = nil, classification: String? = nil, severity: String? = nil,
        tlp: String? = nil, recipients: [String]? = nil, firstSeen: Date? = nil, observables: [ObservableInput],
        economy: String? = nil, addTeams: [String]? = nil, removeTeams: [String]? = nil
    ) {
        self.title = title
        self.description = description
        self.classification = classification
        self.severity = severity
        self.tlp = tlp
        self.recipients = recipients
        self.firstSeen = firstSeen
        self.observables = observables
        self.economy = economy
        self.addTeams = addTeams
        self.removeTeams = removeTeams
    }
}

/// The severities a report may carry.
enum IncidentSeverity: String, CaseIterable, Sendable {
    case low, medium, high, critical
}

/// A team the routing chose, and why.
public struct RoutedTeamDTO: Content, Equatable {
    public let team: String
    public let teamName: String
    public let reasons: [String]
}

/// One observable as shown.
public struct ObservableDTO: Content, Equatable {
    public let kind: String
    public let value: String
}

/// One team's assignment as shown.
public struct AssignmentDTO: Content {
    public let team: String
    public let teamName: String
    public let state: AssignmentState
    public let escalations: Int
    public let deadline: Date?
    public let reasons: [String]
    public let declineReason: DeclineReason?
}

/// One timeline line.
public struct TimelineDTO: Content {
    public let at: Date
    public let actor: String
    public let text: String
    /// `event` (Concord) or `comment` (a person).
    public let kind: String
}

/// An incident in a list.
public struct IncidentSummaryDTO: Content {
    public let number: String
    public let title: String
    public let classification: String
    public let severity: String
    public let tlp: TLPLabel
    public let state: IncidentState
    public let reporterTeam: String
    public let reportedAt: Date
}

/// An incident with everything the viewer may see (the policy has allowed it as a whole).
public struct IncidentDTO: Content {
    public let number: String
    public let title: String
    public let description: String
    public let classification: String
    public let severity: String
    public let tlp: TLPLabel
    public let recipients: [String]
    public let state: IncidentState
    public let reporterTeam: String
    public let reporter: String
    public let firstSeen: Date?
    public let reportedAt: Date
    public let closedAt: Date?
    public let observables: [ObservableDTO]
    public let assignments: [AssignmentDTO]
    public let timeline: [TimelineDTO]
    public let attachments: [AttachmentDTO]
}

/// A file attached to an incident.
public struct AttachmentDTO: Content {
    public let id: UUID
    public let filename: String
    public let contentType: String
    public let size: Int
    public let sha256: String
    public let uploadedBy: String
    public let uploadedAt: Date
}

/// One line of a team's inbox.
struct InboxItemDTO: Content {
    let number: String
    let title: String
    let tlp: TLPLabel
    let severity: String
    let state: IncidentState
    /// assigned, reported, triage, escalated or named.
    let reason: String
    /// The viewer's team's assignment, when it has one.
    let teamState: AssignmentState?
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

/// One line of the inbox page.
struct InboxRowDTO: Content {
    let number: String
    let title: String
    let tlp: TLPLabel
    let classification: String
    let severity: String
    let state: IncidentState
    /// assigned, reported, named, triage, escalated, or forum (the secretariat's view of the rest).
    let reason: String
    let reporterTeam: String
    let reportedAt: Date
    /// The viewer's team's assignment, when it has one.
    let teamState: AssignmentState?
    let deadline: Date?
    /// The time left to acknowledge, while the viewer's team has not.
    let timeLeft: String?
    let urgency: DeskUrgency
    let escalations: Int
    /// Every assigned team's progress in a few words ("2 teams · 1 acknowledged · 1 not acknowledged").
    let progress: String
    let unread: Bool
}

/// A page of the inbox with the filters it was asked for and what was wrong with them.
struct InboxPageDTO: Content {
    /// The filters as shown in the form again.
    struct Shown: Content {
        let state: String
        let tlp: String
        let classification: String
        let team: String
        let overdue: Bool
        let sort: String
        let q: String
    }

    let items: [InboxRowDTO]
    let page: Int
    let more: Bool
    let shown: Shown
    let errors: [String]
    let forumWide: Bool
}
