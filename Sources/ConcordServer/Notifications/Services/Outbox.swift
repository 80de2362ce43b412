import ConcordCore
import Fluent
import Foundation

/// Queues notifications in the caller's transaction: e-mail to the team's contacts on the channel
/// the procedure asks for, and a POST to its webhook if it has one. Nothing leaves here; the
/// `OutboxWorker` delivers what was committed.
enum Outbox {
    /// Queues `purpose` for `assignment`'s team. `step` 0 is the first channel (emergency e-mail),
    /// 1 the next one (general e-mail, else emergency again). Secretariat alerts and updates go to
    /// the secretariat and the reporting team instead of the assigned one.
    static func enqueue(
        _ purpose: NotificationPurpose, for assignment: IncidentAssignment, note: String = "", now: Date,
        on db: any Database
    ) async throws {
        guard
            let incident = try await Incident.query(on: db).filter(\.$id == assignment.$incident.id)
                .with(\.$observables).with(\.$reporterTeam).first(),
            let team = try await Team.query(on: db).filter(\.$id == assignment.$team.id).with(\.$contacts).first()
        else { return }
        let context = NotificationText.Context(
            purpose: purpose, incident: IncidentBrief(incident), teamName: team.shortName, teamSlug: team.slug,
            teamTimeZone: TimeZone(identifier: team.timeZone) ?? .gmt,
            reasons: assignment.reasons.split(separator: "\n").map(String.init), deadline: assignment.deadline,
            note: purpose == .secretariatAlert ? reachability(of: team) : note, state: assignment.state)
        let recipients: [Team]
        switch purpose {
        case .assigned, .reminder: recipients = [team]
        case .secretariatAlert, .withheld:
            recipients = try await Team.query(on: db).filter(\.$isSecretariat == true).with(\.$contacts).all()
        case .update:
            recipients = try await Team.query(on: db).filter(\.$id == incident.$reporterTeam.id).with(\.$contacts)
                .all()
        case .feedDigest, .sensorSurge, .drillInject, .commCheck, .accountNotice, .reportNotice,
            .governanceNotice:
            recipients = []  // queued by `enqueue(digestOf:)`, `enqueue(announcement:)`
        }
        for recipient in recipients {
            try await enqueue(
                context, to: recipient, assignment: assignment, step: purpose == .reminder ? 1 : 0,
                now: now, on: db)
        }
    }

    private static func enqueue(
        _ context: NotificationText.Context, to team: Team, assignment: IncidentAssignment, step: Int, now: Date,
        on db: any Database
    ) async throws {
        let teamID = try team.requireID()
        for contact in emailContacts(of: team, step: step) {
            let message = try makeMessage(context, team: teamID, assignment: assignment, now: now)
            message.channel = .email
            message.$contact.id = contact.id
            message.recipient = contact.value
            message.subject = NotificationText.subject(context)
            message.body = NotificationText.body(context)
            if context.purpose.asksForAcknowledgement {
                let link = AcknowledgementLink()
                let linkID = UUID()
                link.id = linkID
                link.$assignment.id = try assignment.requireID()
                link.recipient = contact.value
                link.expiresAt = now.addingTimeInterval(AcknowledgementLink.lifetime)
                message.acknowledgementLinkID = linkID
                try await link.create(on: db)
            }
            try await message.create(on: db)
        }
        if let webhook = try await TeamWebhook.query(on: db).filter(\.$team.$id == teamID).first() {
            let message = try makeMessage(context, team: teamID, assignment: assignment, now: now)
            message.channel = .webhook
            message.recipient = webhook.url
            message.subject = context.purpose.webhookEvent
            let encoder = JSONEncoder()
            encoder.dateEncodingStrategy = .iso8601
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            message.body = String(decoding: try encoder.encode(NotificationText.webhookPayload(context)), as: UTF8.self)
            try await message.create(on: db)
        }
    }

    private static func makeMessage(
        _ context: NotificationText.Context, team: UUID, assignment: IncidentAssignment, now: Date
    ) throws -> OutboxMessage {
        let message = OutboxMessage()
        let id = UUID()
        message.id = id
        message.$incident.id = assignment.$incident.id
        message.$assignment.id = try assignment.requireID()
        message.$team.id = team
        message.purpose = context.purpose.rawValue
        message.messageID = id.uuidString.lowercased()
        message.state = .pending
        message.attempts = 0
        message.nextAttemptAt = now
        return message
    }

    /// Queues the aggregated notification of a feed group to its team, to leave when the group's
    /// window closes (events that arrive until then join it). Its text and CSV are made at delivery.
    static func enqueue(digestOf group: FeedGroup, team: Team, on db: any Database) async throws {
        let teamID = try team.requireID()
        var messages: [OutboxMessage] = []
        for contact in emailContacts(of: team, step: 0) {
            let message = digestMessage(group, team: teamID)
            message.channel = .email
            message.$contact.id = contact.id
            message.recipient = contact.value
            messages.append(message)
        }
        if let webhook = try await TeamWebhook.query(on: db).filter(\.$team.$id == teamID).first() {
            let message = digestMessage(group, team: teamID)
            message.channel = .webhook
            message.recipient = webhook.url
            messages.append(message)
        }
        for message in messages { try await message.create(on: db) }
    }

    private static func digestMessage(_ group: FeedGroup, team: UUID) -> OutboxMessage {
        let message = OutboxMessage()
        let id = UUID()
        message.id = id
        message.$team.id = team
        message.feedGroupID = group.id
        message.purpose = NotificationPurpose.feedDigest.rawValue
        message.messageID = id.uuidString.lowercased()
        message.subject = NotificationPurpose.feedDigest.webhookEvent
        message.body = ""
        message.state = .pending
        message.attempts = 0
        message.nextAttemptAt = group.windowEnd
        return message
    }

    /// Queues a notice that belongs to no incident (a surge alert) to each team's first e-mail
    /// channel and its webhook; the text and the JSON are final here.
    static func enqueue(
        announcement purpose: NotificationPurpose, subject: String, text: String, payload: Data, to teams: [Team],
        now: Date, on db: any Database
    ) async throws {
        for team in teams {
            let teamID = try team.requireID()
            var messages: [OutboxMessage] = []
            for contact in emailContacts(of: team, step: 0) {
                let message = announcementMessage(purpose, team: teamID, now: now)
                message.channel = .email
                message.$contact.id = contact.id
                message.recipient = contact.value
                message.subject = subject
                message.body = text
                messages.append(message)
            }
            if let webhook = try await TeamWebhook.query(on: db).filter(\.$team.$id == teamID).first() {
                let message = announcementMessage(purpose, team: teamID, now: now)
                message.channel = .webhook
                message.recipient = webhook.url
                message.subject = purpose.webhookEvent
                message.body = String(decoding: payload, as: UTF8.self)
                messages.append(message)
            }
            for message in messages { try await message.create(on: db) }
        }
    }

    /// Queues one e-mail to one contact of a team (a communication check's challenge); the text is
    /// final here but for its `{{…}}` placeholders.
    static func enqueue(
        mail purpose: NotificationPurpose, subject: String, text: String, to contact: Contact, team: UUID, now: Date,
        on db: any Database
    ) async throws -> OutboxMessage {
        let message = announcementMessage(purpose, team: team, now: now)
        message.channel = .email
        message.$contact.id = contact.id
        message.recipient = contact.value
        message.subject = subject
        message.body = text
        try await message.create(on: db)
        return message
    }

    /// Queues one e-mail to a user about their own account; the text is final here.
    static func enqueue(
        accountNotice subject: String, text: String, to address: String, team: UUID, now: Date, on db: any Database
    ) async throws {
        let message = announcementMessage(.accountNotice, team: team, now: now)
        message.channel = .email
        message.recipient = address
        message.subject = subject
        message.body = text
        try await message.create(on: db)
    }

    private static func announcementMessage(_ purpose: NotificationPurpose, team: UUID, now: Date) -> OutboxMessage {
        let message = OutboxMessage()
        let id = UUID()
        message.id = id
        message.$team.id = team
        message.purpose = purpose.rawValue
        message.messageID = id.uuidString.lowercased()
        message.state = .pending
        message.attempts = 0
        message.nextAttemptAt = now
        return message
    }

    /// The e-mail contacts of a step: emergency e-mail first; the next step prefers the general
    /// addresses and falls back to the emergency ones. Unpublished contacts count: they are the
    /// forum's private lines to the team.
    static func emailContacts(of team: Team, step: Int) -> [Contact] {
        let emergency = team.contacts.filter { $0.kind == .emergencyEmail }
        let general = team.contacts.filter { $0.kind == .generalEmail }
        if step == 0 { return emergency.isEmpty ? general : emergency }
        return general.isEmpty ? emergency : general
    }

    /// The team's contacts for the secretariat, one a line.
    private static func reachability(of team: Team) -> String {
        team.contacts.map { "  \($0.kind.rawValue) (\($0.availability.rawValue)): \($0.value)" }
            .joined(separator: "\n")
    }
}
