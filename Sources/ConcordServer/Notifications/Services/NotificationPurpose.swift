/// Why a notification is sent; each has its subject, text and webhook event.
enum NotificationPurpose: String, Codable, Sendable, CaseIterable {
    /// A team has a new assignment (first channel).
    case assigned
    /// The acknowledgement deadline passed: the team again, on its next channel.
    case reminder
    /// The team has still not acknowledged: the secretariat takes over.
    case secretariatAlert = "secretariat-alert"
    /// A team moved its assignment: the reporting team is told.
    case update
    /// Mail to a contact without a usable key was withheld (the forum requires encryption).
    case withheld
    /// The events of a bulk feed for the team in one window, with a CSV attachment.
    case feedDigest = "feed-digest"
    /// The forum's sensors saw a surge of scanning: to the secretariat and every team with a sensor.
    case sensorSurge = "sensor-surge"
    /// A drill's inject to a playing team: exercise traffic, marked as such.
    case drillInject = "drill-inject"
    /// A communication check's challenge to one contact.
    case commCheck = "comm-check"
    /// A notice to a user about their own account (password logins waiting after failures). It
    /// holds nothing of any incident, so it leaves signed even where the forum requires encryption
    /// (users have no keys of their own here).
    case accountNotice = "account-notice"
    /// A note about the team's submission to the annual report: a reminder before the deadline, or
    /// the secretariat's decision. It holds no incident either, and leaves signed like an account
    /// notice where no key encrypts it.
    case reportNotice = "report-notice"
    /// A vote between meetings: its call, a reminder, a ballot's receipt or refusal, its result.
    /// It names no other team's choice and holds no incident, so it leaves signed like a report notice.
    case governanceNotice = "governance-notice"

    /// The `event` of the webhook payload and the `X-Concord-Event` header.
    var webhookEvent: String {
        switch self {
        case .assigned: return "incident.assigned"
        case .reminder: return "incident.reminder"
        case .secretariatAlert: return "incident.not-acknowledged"
        case .update: return "incident.updated"
        case .withheld: return "notification.withheld"
        case .feedDigest: return "feed.events"
        case .sensorSurge: return "sensor.surge"
        case .drillInject: return "drill.inject"
        case .commCheck: return "check.challenge"
        case .accountNotice: return "account.notice"
        case .reportNotice: return "report.notice"
        case .governanceNotice: return "governance.notice"
        }
    }

    /// Whether the message carries a one-time acknowledgement link.
    var asksForAcknowledgement: Bool { self == .assigned || self == .reminder }

    /// Whether the message holds nothing of any incident, so it may leave unencrypted (signed)
    /// even where the forum requires encryption.
    var mayLeaveUnencrypted: Bool { self == .accountNotice || self == .reportNotice || self == .governanceNotice }
}
