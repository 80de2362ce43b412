import ConcordCore
import Foundation

/// What a notification says about an incident, in a form that does not need the database.
struct IncidentBrief: Sendable {
    let number: String
    let title: String
    let classification: String
    let severity: String
    let tlp: TLPLabel
    let details: String
    let observables: [String]
    let reporterTeam: String
    let reportedAt: Date

    /// From an incident loaded with its observables and reporting team.
    init(_ incident: Incident) {
        number = incident.number
        title = incident.title
        classification = "\(incident.taxonomy)/\(incident.type)"
        severity = incident.severity
        tlp = incident.tlp
        details = incident.details
        observables = incident.observables.map { "\($0.kind) \($0.value)" }
        reporterTeam = incident.reporterTeam.shortName
        reportedAt = incident.reportedAt
    }
}

/// Writes the subject and plain-text body of notification mail, and the JSON of webhooks. Links
/// are left as `{{public-url}}` and `{{acknowledge-url}}` for the worker to fill in at delivery.
/// A TLP:RED incident's messages carry its number only: the teams' mailboxes are not among the
/// people it names.
enum NotificationText {
    static let publicURL = "{{public-url}}"
    static let acknowledgeURL = "{{acknowledge-url}}"

    /// What the assignment's team, the secretariat or the reporter is told.
    struct Context: Sendable {
        let purpose: NotificationPurpose
        let incident: IncidentBrief
        /// The team the message is about (the assigned team).
        let teamName: String
        let teamSlug: String
        let teamTimeZone: TimeZone
        let reasons: [String]
        let deadline: Date?
        /// For `.update`: what changed ("acknowledged"); for `.secretariatAlert`: how to reach the team.
        let note: String
        let state: AssignmentState
    }

    static func subject(_ context: Context) -> String {
        let incident = context.incident
        let head = "[\(incident.tlp.rawValue)] \(incident.number)"
        let topic = incident.tlp == .red ? "" : ": \(incident.classification)"
        switch context.purpose {
        case .assigned: return "\(head) for \(context.teamName)\(topic)"
        case .reminder: return "\(head) for \(context.teamName) awaits acknowledgement\(topic)"
        case .secretariatAlert: return "\(head) not acknowledged by \(context.teamName)"
        case .update: return "\(head): \(context.teamName) \(context.note)"
        case .withheld: return "\(head): mail to \(context.teamName) withheld, no usable OpenPGP key"
        case .feedDigest: return "\(head): feed events for \(context.teamName)"  // see FeedDigestText
        case .sensorSurge: return "\(head): surge"  // see SurgeAlertText
        case .drillInject: return "\(head): drill"  // see DrillInjectText
        case .commCheck: return "\(head): check"  // see CommChecks
        case .accountNotice: return "\(head): account"  // see LoginService
        case .reportNotice: return "\(head): annual report"  // see SubmissionMail
        case .governanceNotice: return "\(head): governance"  // see GovernanceVoteMail
        }
    }

    static func body(_ context: Context) -> String {
        let incident = context.incident
        var lines = [incident.tlp.rawValue, ""]
        switch context.purpose {
        case .assigned:
            lines.append("Concord has assigned incident \(incident.number) to \(context.teamName).")
        case .reminder:
            lines.append(
                "Incident \(incident.number) is still waiting for \(context.teamName) to acknowledge it: the "
                    + "first deadline has passed.")
        case .secretariatAlert:
            lines.append(
                "\(context.teamName) has not acknowledged incident \(incident.number), not even after a reminder "
                    + "on its next channel. Please reach the team.")
            if !context.note.isEmpty { lines += ["", "How to reach \(context.teamName):", context.note] }
        case .update:
            lines.append("\(context.teamName) \(context.note) incident \(incident.number) (now \(context.state)).")
        case .withheld:
            lines.append(
                "A notification of \(incident.number) to \(context.teamName) was not sent: the forum requires "
                    + "encryption and \(context.note) has no usable OpenPGP key. Please reach the team "
                    + "another way and ask it to publish a key.")
        case .feedDigest:
            lines.append("Feed events for \(context.teamName).")  // see FeedDigestText
        case .sensorSurge:
            lines.append("A surge of scanning.")  // see SurgeAlertText
        case .drillInject:
            lines.append("A drill inject.")  // see DrillInjectText
        case .commCheck:
            lines.append("A communication check.")  // see CommChecks
        case .accountNotice:
            lines.append("A notice about an account.")  // see LoginService
        case .reportNotice:
            lines.append("A notice about the annual report.")  // see SubmissionMail
        case .governanceNotice:
            lines.append("A notice about a vote.")  // see GovernanceVoteMail
        }
        lines.append("")
        if incident.tlp == .red {
            lines.append(
                "The incident is TLP:RED: only the people it names may read it, so this message carries "
                    + "nothing of it. Sign in to see it if you are one of them.")
        } else {
            lines += summary(context)
        }
        lines += ["", "Incident page: \(publicURL)\(Paths.incidentPage(incident.number))"]
        if context.purpose.asksForAcknowledgement {
            lines += ["", acknowledgementRequest(context)]
        }
        lines += [
            "", "-- ", "Concord, the forum's coordination service. Handle this message as \(incident.tlp.rawValue).",
        ]
        return lines.joined(separator: "\n")
    }

    private static func summary(_ context: Context) -> [String] {
        let incident = context.incident
        var lines = [
            "Title:          \(incident.title)",
            "Classification: \(incident.classification)",
            "Severity:       \(incident.severity)",
            "Reported by:    \(incident.reporterTeam), \(utc(incident.reportedAt))",
        ]
        if !context.reasons.isEmpty {
            lines.append("Why \(context.teamName):")
            lines += context.reasons.map { "  \($0)" }
        }
        lines += ["", "Observables:"] + incident.observables.map { "  \($0)" }
        if !incident.details.isEmpty { lines += ["", "Description:", incident.details] }
        return lines
    }

    private static func acknowledgementRequest(_ context: Context) -> String {
        var text = "Please acknowledge"
        if let deadline = context.deadline {
            text += " by \(local(deadline, in: context.teamTimeZone)) (\(utc(deadline)))"
        }
        return text + ":\n  \(acknowledgeURL)\n"
            + "The link works once. You can also acknowledge on the incident page, through the API, or with\n"
            + "  concord incident ack \(context.incident.number) --team \(context.teamSlug)"
    }

    /// The JSON a team's webhook receives.
    static func webhookPayload(_ context: Context) -> WebhookPayload {
        let incident = context.incident
        let open = incident.tlp != .red
        return WebhookPayload(
            event: context.purpose.webhookEvent,
            incident: .init(
                number: incident.number, url: publicURL + Paths.incidentPage(incident.number), tlp: incident.tlp,
                title: open ? incident.title : nil, classification: open ? incident.classification : nil,
                severity: open ? incident.severity : nil, observables: open ? incident.observables : nil),
            team: context.teamSlug, state: context.state, deadline: context.deadline,
            reasons: open ? context.reasons : nil, note: context.note.isEmpty ? nil : context.note)
    }

    /// `{{challenge-url:<id>}}`, as a communication check's mail holds it until delivery, so that
    /// no link token is ever stored.
    static func challengeURL(_ challenge: UUID) -> String { "{{challenge-url:\(challenge.uuidString.lowercased())}}" }

    /// `text` with every challenge placeholder replaced by its link.
    static func fillChallengeLinks(_ text: String, publicURL: String, secret: ServerSecret) -> String {
        var result = ""
        var rest = text[...]
        while let open = rest.range(of: "{{challenge-url:"), let close = rest[open.upperBound...].range(of: "}}") {
            result += rest[..<open.lowerBound]
            if let id = UUID(uuidString: String(rest[open.upperBound..<close.lowerBound])) {
                result += Paths.Checks.challengeLink(publicURL: publicURL, token: secret.challengeToken(id))
            }
            rest = rest[close.upperBound...]
        }
        return result + rest
    }

    static func utc(_ date: Date) -> String { format(date, in: .gmt) + " UTC" }

    static func local(_ date: Date, in zone: TimeZone) -> String {
        format(date, in: zone) + " " + zone.identifier
    }

    private static func format(_ date: Date, in zone: TimeZone) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = zone
        formatter.dateFormat = "yyyy-MM-dd HH:mm"
        return formatter.string(from: date)
    }
}

/// The body of a webhook POST (`X-Concord-Event` names the event too).
struct WebhookPayload: Codable, Sendable {
    /// The incident as far as its TLP lets a team system see it.
    struct IncidentPart: Codable, Sendable {
        let number: String
        let url: String
        let tlp: TLPLabel
        let title: String?
        let classification: String?
        let severity: String?
        let observables: [String]?
    }

    let event: String
    let incident: IncidentPart
    let team: String
    let state: AssignmentState
    let deadline: Date?
    let reasons: [String]?
    let note: String?
}
