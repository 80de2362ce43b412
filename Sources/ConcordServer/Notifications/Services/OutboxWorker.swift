import ConcordCore
import Fluent
import FluentSQL
import Vapor

/// Delivers the outbox. A message is claimed with a conditional UPDATE (only one worker of any
/// number of Concord instances wins it), sent, then marked. A worker that dies after sending and
/// before marking leaves the claim to expire after `lease`; the message is sent again with the same
/// Message-ID (or `X-Concord-Delivery`), so nothing is lost and the copy is recognisable. Failures
/// are retried with exponential back-off (`RetryPolicy.standard`) until given up.
struct OutboxWorker: Sendable {
    /// How long a claim holds before another worker may take the message over.
    static let lease: TimeInterval = 300

    let application: Application
    var transport: any MailTransport
    var retry = RetryPolicy.standard

    init(application: Application, transport: (any MailTransport)? = nil) {
        self.application = application
        self.transport = transport ?? SendmailTransport(settings: application.concord.mail)
    }

    /// What became of one attempt.
    private enum Outcome {
        case sent(encrypted: Bool?, note: String)
        case withheld(String)
    }

    /// Delivers every message due at `now`; returns how many were attempted.
    @discardableResult
    func runDue(at now: Date) async throws -> Int {
        let db = application.db
        let due = try await OutboxMessage.query(on: db)
            .group(.or) { either in
                either.group(.and) { $0.filter(\.$state == .pending).filter(\.$nextAttemptAt <= now) }
                either.group(.and) { $0.filter(\.$state == .sending).filter(\.$leaseUntil <= now) }
            }
            .sort(\.$nextAttemptAt).limit(100)
            .with(\.$team).with(\.$contact).with(\.$incident)
            .all()
        // One `gpg --list-secret-keys` per run, not per message; a missing key fails each e-mail below.
        let signer =
            due.contains { $0.channel == .email } ? try? await ForumKey(application.concord).fingerprint() : nil
        var attempted = 0
        for message in due {
            guard let attempts = try await claim(message, at: now, on: db) else { continue }
            message.attempts = attempts
            attempted += 1
            do {
                let outcome = try await attempt(message, signer: signer, at: now)
                try await record(outcome, of: message, at: now, on: db)
            } catch {
                try await recordFailure(of: message, error: error, at: now, on: db)
            }
        }
        return attempted
    }

    /// Takes the message if it is still pending, or its previous claim has expired; returns the
    /// attempt number, or nil when another worker has it.
    private func claim(_ message: OutboxMessage, at now: Date, on db: any Database) async throws -> Int? {
        guard let sql = db as? any SQLDatabase else { throw ConcordError(.unavailable, "the outbox needs SQL") }
        let id = try message.requireID()
        let rows = try await sql.raw(
            """
            UPDATE outbox_messages SET state = 'sending', attempts = attempts + 1,
                lease_until = \(bind: now.addingTimeInterval(Self.lease))
            WHERE id = \(bind: id) AND ((state = 'pending' AND next_attempt_at <= \(bind: now))
                OR (state = 'sending' AND lease_until <= \(bind: now)))
            RETURNING attempts
            """
        ).all()
        return try rows.first?.decode(column: "attempts", as: Int.self)
    }

    private func attempt(_ message: OutboxMessage, signer: String?, at now: Date) async throws -> Outcome {
        let configuration = application.concord
        let publicURL = configuration.publicURL.trimmingCharacters(in: CharacterSet(charactersIn: "/"))
        var body = message.body.replacingOccurrences(of: NotificationText.publicURL, with: publicURL)
        if let link = message.acknowledgementLinkID {
            let token = application.serverSecret.acknowledgementToken(link: link)
            body = body.replacingOccurrences(of: NotificationText.acknowledgeURL, with: "\(publicURL)/ack/\(token)")
        }
        body = NotificationText.fillChallengeLinks(body, publicURL: publicURL, secret: application.serverSecret)
        var subject = message.subject
        var attachments: [MIMEEntity] = []
        if let groupID = message.feedGroupID {
            guard let digest = try await FeedDigest.load(groupID: groupID, on: application.db) else {
                throw ConcordError(.unavailable, "the feed group is gone")
            }
            subject = digest.subject
            if message.channel == .email {
                body = digest.text
                attachments = [.attachment(Data(digest.csv.utf8), filename: digest.filename, contentType: "text/csv")]
            } else {
                let encoder = JSONEncoder()
                encoder.dateEncodingStrategy = .iso8601
                encoder.outputFormatting = [.sortedKeys]
                body = String(decoding: try encoder.encode(digest.payload), as: UTF8.self)
            }
        }
        switch message.channel {
        case .email:
            let composer = OpenPGPMailComposer(configuration)
            let composed = try await composer.compose(
                body, attachments: attachments, recipientKey: message.contact?.pgpKey,
                keyFinding: message.contact?.pgpFinding, signer: signer)
            if let reason = composed.unencryptedReason, configuration.mail.requireEncryption {
                return .withheld(reason)
            }
            let from = configuration.mail.fromAddress
            let domain = from.split(separator: "@").last.map(String.init) ?? "concord.invalid"
            let mail = MailMessage(
                from: configuration.mail.from, to: [message.recipient], subject: subject,
                date: message.createdAt ?? now, messageID: "\(message.messageID)@\(domain)",
                extraFields: [
                    .init("X-Concord-Notification", message.purpose),
                    .init("X-Concord-Attempt", String(message.attempts)),
                ],
                content: composed.content)
            try await transport.send(mail.text, from: from, to: [message.recipient])
            return .sent(
                encrypted: composed.unencryptedReason == nil,
                note: composed.unencryptedReason.map { "signed only, NOT encrypted: \($0)" } ?? "OpenPGP-encrypted")
        case .webhook:
            guard
                let webhook = try await TeamWebhook.query(on: application.db).filter(\.$team.$id == message.$team.id)
                    .first()
            else { throw ConcordError(.unavailable, "the team's webhook has been removed") }
            try await WebhookSender(client: application.client, secret: application.serverSecret).deliver(
                body, to: webhook.url, event: NotificationPurpose(rawValue: message.purpose)?.webhookEvent ?? "",
                delivery: message.messageID, team: message.$team.id, secretVersion: webhook.secretVersion, at: now)
            return .sent(encrypted: nil, note: "signed HMAC-SHA256")
        }
    }

    private func record(_ outcome: Outcome, of message: OutboxMessage, at now: Date, on db: any Database)
        async throws
    {
        let purpose = NotificationPurpose(rawValue: message.purpose) ?? .assigned
        try await db.writeTransaction { db in
            message.leaseUntil = nil
            switch outcome {
            case .sent(let encrypted, let note):
                message.state = .sent
                message.sentAt = now
                message.encrypted = encrypted
                message.lastError = nil
                try await timeline(message, "\(Self.describe(message, purpose)) (\(note))", at: now, on: db)
            case .withheld(let reason):
                message.state = .withheld
                message.lastError = reason
                try await timeline(
                    message, "e-mail to \(message.team.shortName) WITHHELD: encryption is required and \(reason)",
                    at: now, on: db)
                if purpose != .withheld, let assignmentID = message.$assignment.id,
                    let assignment = try await IncidentAssignment.find(assignmentID, on: db)
                {
                    try await Outbox.enqueue(.withheld, for: assignment, note: message.recipient, now: now, on: db)
                }
            }
            try await message.save(on: db)
        }
    }

    private func recordFailure(of message: OutboxMessage, error: any Error, at now: Date, on db: any Database)
        async throws
    {
        let reason = String(((error as? ConcordError)?.detail ?? String(describing: error)).prefix(300))
        message.leaseUntil = nil
        message.lastError = reason
        if let next = retry.nextAttempt(after: message.attempts, failedAt: now) {
            message.state = .pending
            message.nextAttemptAt = next
            try await message.save(on: db)
            return
        }
        message.state = .failed
        let purpose = NotificationPurpose(rawValue: message.purpose) ?? .assigned
        try await db.writeTransaction { db in
            try await message.save(on: db)
            try await timeline(
                message, "\(Self.describe(message, purpose)) FAILED after \(message.attempts) attempts: \(reason)",
                at: now, on: db)
        }
        application.logger.warning("notification \(message.messageID) failed after \(message.attempts) attempts")
    }

    private func timeline(_ message: OutboxMessage, _ text: String, at now: Date, on db: any Database) async throws {
        guard let incident = message.$incident.id else { return }
        try await IncidentTimelineEntry(incidentID: incident, at: now, actor: "outbox", text: text).create(on: db)
    }

    /// "SingCERT notified by e-mail", "secretariat (JPCERT/CC) alerted by webhook", …
    private static func describe(_ message: OutboxMessage, _ purpose: NotificationPurpose) -> String {
        let team = message.team.shortName
        let channel = message.channel == .email ? "e-mail" : "webhook"
        switch purpose {
        case .assigned: return "\(team) notified by \(channel)"
        case .reminder: return "\(team) reminded by \(channel)"
        case .secretariatAlert, .withheld: return "secretariat (\(team)) alerted by \(channel)"
        case .update: return "reporting team \(team) informed by \(channel)"
        case .feedDigest: return "feed events sent to \(team) by \(channel)"
        case .sensorSurge: return "surge alert sent to \(team) by \(channel)"
        case .drillInject: return "drill inject sent to \(team) by \(channel)"
        case .commCheck: return "communication check sent to \(team) by \(channel)"
        }
    }
}
