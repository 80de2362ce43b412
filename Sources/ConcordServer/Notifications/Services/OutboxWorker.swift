import ConcordCore
import Fluent
import FluentSQL
import Vapor

/// Delivers the outbox. A message is claimed with a conditional UPDATE (only one worker of any
/// number of Concord instances wins it) that gives the claim a token and a lease measured by the
/// database's clock, so instances whose host clocks differ agree; it is sent, then marked, and the
/// mark counts only while the claim's token is still the message's. A worker that dies after
/// sending and before marking leaves the claim to expire after `lease`; the message is sent again
/// with the same Message-ID (or `X-Concord-Delivery`), so nothing is lost and the copy is
/// recognisable. Failures are retried with exponential back-off (`RetryPolicy.standard`) until
/// given up. Each message is claimed just before its own send, so a lease covers one send; on
/// PostgreSQL the claim skips a row another worker is claiming (`FOR UPDATE SKIP LOCKED`).
struct OutboxWorker: Sendable {
    /// The periodic job's name, by which a new message wakes it (`JobWakeups`).
    static let jobName = "outbox worker"
    /// How long a claim holds before another worker may take the message over.
    static let lease: TimeInterval = 60

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

    /// A worker's hold on one message: the attempt it makes and the token its mark must carry.
    struct Claim: Sendable {
        let attempts: Int
        let token: String
    }

    /// The periodic job that runs the worker every `interval` on every instance, and at once when
    /// a new message commits anywhere (`RevisionWatch` wakes it).
    static func job(every interval: Duration) -> PeriodicJob {
        PeriodicJob(name: jobName, interval: interval, wakeable: true) { app in
            try await OutboxWorker(application: app).runDue(at: app.clock.now())
        }
    }

    /// Delivers every message due at `now`; returns how many were attempted.
    @discardableResult
    func runDue(at now: Date) async throws -> Int {
        let db = application.db
        let clock = try await DatabaseClock.now(on: db)
        let due = try await OutboxMessage.query(on: db)
            .group(.or) { either in
                either.group(.and) { $0.filter(\.$state == .pending).filter(\.$nextAttemptAt <= now) }
                either.group(.and) { $0.filter(\.$state == .sending).filter(\.$leaseUntil <= clock) }
            }
            .sort(\.$nextAttemptAt).limit(100)
            .with(\.$team).with(\.$contact).with(\.$incident)
            .all()
        // One `gpg --list-secret-keys` per run, not per message; a missing key fails each e-mail below.
        let signer =
            due.contains { $0.channel == .email }
            ? try? await ForumKey(application.concord, gnupg: application.gnupg).fingerprint() : nil
        var attempted = 0
        for message in due {
            guard let claim = try await Self.claim(message.requireID(), dueAt: now, on: db) else { continue }
            message.attempts = claim.attempts
            message.claimToken = claim.token
            attempted += 1
            do {
                let outcome = try await attempt(message, signer: signer, at: now)
                try await record(outcome, of: message, claim: claim, at: now, on: db)
            } catch {
                try await recordFailure(of: message, claim: claim, error: error, at: now, on: db)
            }
        }
        return attempted
    }

    /// Takes the message if it is still pending and due at `now`, or its previous claim's lease
    /// has run out by the database's clock; nil when another worker has it.
    static func claim(_ id: UUID, dueAt now: Date, on db: any Database) async throws -> Claim? {
        let token = UUID().uuidString.lowercased()
        return try await db.writeTransaction { db in
            guard let sql = db as? any SQLDatabase else { throw ConcordError(.unavailable, "the outbox needs SQL") }
            let clock = try await DatabaseClock.now(on: db)
            let rows = try await sql.raw(
                """
                UPDATE outbox_messages SET state = 'sending', attempts = attempts + 1,
                    lease_until = \(bind: clock.addingTimeInterval(Self.lease)), claim_token = \(bind: token)
                WHERE id = (SELECT id FROM outbox_messages WHERE id = \(bind: id)
                    AND ((state = 'pending' AND next_attempt_at <= \(bind: now))
                        OR (state = 'sending' AND lease_until <= \(bind: clock)))
                    \(unsafeRaw: sql.dialect.name == "postgresql" ? "FOR UPDATE SKIP LOCKED" : ""))
                RETURNING attempts
                """
            ).all()
            return try rows.first.map { Claim(attempts: try $0.decode(column: "attempts", as: Int.self), token: token) }
        }
    }

    /// Gives up the claim as the first write of the transaction that records its outcome; false
    /// when the claim is no longer the message's (its lease ran out and another worker took it).
    static func release(_ id: UUID, claim: Claim, on db: any Database) async throws -> Bool {
        guard let sql = db as? any SQLDatabase else { throw ConcordError(.unavailable, "the outbox needs SQL") }
        let rows = try await sql.raw(
            """
            UPDATE outbox_messages SET claim_token = NULL, lease_until = NULL
            WHERE id = \(bind: id) AND claim_token = \(bind: claim.token) RETURNING id
            """
        ).all()
        return !rows.isEmpty
    }

    private func attempt(_ message: OutboxMessage, signer: String?, at now: Date) async throws -> Outcome {
        let configuration = application.concord
        let publicURL = configuration.publicURL.trimmingCharacters(in: CharacterSet(charactersIn: "/"))
        var body = message.body.replacingOccurrences(of: NotificationText.publicURL, with: publicURL)
        if let link = message.acknowledgementLinkID {
            let token = application.serverSecret.acknowledgementToken(link: link)
            body = body.replacingOccurrences(
                of: NotificationText.acknowledgeURL,
                with: Paths.Notifications.acknowledgeLink(publicURL: publicURL, token: token))
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
            let composer = OpenPGPMailComposer(configuration, gnupg: application.gnupg)
            let composed = try await composer.compose(
                body, attachments: attachments, recipientKey: message.contact?.pgpKey,
                keyFinding: message.contact?.pgpFinding, signer: signer)
            if let reason = composed.unencryptedReason, configuration.mail.requireEncryption,
                NotificationPurpose(rawValue: message.purpose)?.mayLeaveUnencrypted != true
            {
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
            let address = try await WebhookDestination.checkBeforeConnecting(
                webhook.url, allowed: configuration.mail.webhookAllowedRanges, resolver: application.nameResolver)
            try await WebhookSender(eventLoopGroup: application.eventLoopGroup, secret: application.serverSecret)
                .deliver(
                    body, to: webhook.url, address: address,
                    event: NotificationPurpose(rawValue: message.purpose)?.webhookEvent ?? "",
                    delivery: message.messageID, team: message.$team.id, secretVersion: webhook.secretVersion, at: now)
            return .sent(encrypted: nil, note: "signed HMAC-SHA256")
        }
    }

    private func record(
        _ outcome: Outcome, of message: OutboxMessage, claim: Claim, at now: Date, on db: any Database
    ) async throws {
        let purpose = NotificationPurpose(rawValue: message.purpose) ?? .assigned
        let id = try message.requireID()
        try await db.writeTransaction { db in
            guard try await Self.release(id, claim: claim, on: db) else { return lost(message) }
            message.leaseUntil = nil
            message.claimToken = nil
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

    private func recordFailure(
        of message: OutboxMessage, claim: Claim, error: any Error, at now: Date, on db: any Database
    ) async throws {
        let reason = String(((error as? ConcordError)?.detail ?? String(describing: error)).prefix(300))
        let id = try message.requireID()
        let next = retry.nextAttempt(after: message.attempts, failedAt: now)
        let purpose = NotificationPurpose(rawValue: message.purpose) ?? .assigned
        let recorded = try await db.writeTransaction { db in
            guard try await Self.release(id, claim: claim, on: db) else {
                lost(message)
                return false
            }
            message.leaseUntil = nil
            message.claimToken = nil
            message.lastError = reason
            if let next {
                message.state = .pending
                message.nextAttemptAt = next
                try await message.save(on: db)
                return false
            }
            message.state = .failed
            try await message.save(on: db)
            try await timeline(
                message, "\(Self.describe(message, purpose)) FAILED after \(message.attempts) attempts: \(reason)",
                at: now, on: db)
            return true
        }
        if recorded {
            application.logger.warning("notification \(message.messageID) failed after \(message.attempts) attempts")
        }
    }

    /// A claim that ran out while its send was under way: the worker that took the message over
    /// records the outcome, so this one records nothing.
    private func lost(_ message: OutboxMessage) {
        application.logger.warning("notification \(message.messageID): claim lost to another worker; not marked")
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
        case .accountNotice: return "account notice sent to a user of \(team) by \(channel)"
        case .reportNotice: return "annual report notice sent to \(team) by \(channel)"
        case .governanceNotice: return "governance notice sent to \(team) by \(channel)"
        }
    }
}
