import ConcordCore
import Fluent
import Foundation
import Vapor

/// Communication checks: a challenge to each selected contact of every active team (mail with a
/// one-time link, encrypted to the contact's key; other channels as calls exercise control makes),
/// what is found about each contact on the way (no key, expired or expiring key, wrong
/// fingerprint, user ids that do not name the address), and the answers, by link, by API, by
/// signed reply or recorded by hand.
enum CommChecks {
    /// The contact kinds checked unless others are asked for: the 24/7 ones.
    static let defaultKinds: [Contact.Kind] = [.emergencyEmail, .phone247]

    /// Starts a check now: challenges written and mails queued in one transaction.
    static func start(
        title: String, window: Int, kinds: [Contact.Kind], schedule: UUID? = nil, by user: UUID, now: Date,
        app: Application, on db: any Database
    ) async throws -> CommCheck {
        let teams = try await Team.query(on: db).filter(\.$status == TeamStatus.active).with(\.$contacts)
            .sort(\.$slug).all()
        let reader = OpenPGPKeyReader(gnupg: app.gnupg, home: app.concord.gnupgHome)
        // Keys are read again (outside the transaction: GnuPG is slow) to compare fingerprints.
        var fingerprints: [UUID: String] = [:]
        for contact in teams.flatMap(\.contacts) where kinds.contains(contact.kind) && contact.kind.isEmail {
            if let key = contact.pgpKey, let id = contact.id {
                fingerprints[id] = try await reader.read(key, now: now).fingerprint
            }
        }
        let keyFingerprints = fingerprints
        let check = CommCheck()
        check.id = UUID()
        check.title = title
        check.startedAt = now
        check.windowSeconds = window
        check.scheduleID = schedule
        check.createdBy = user
        try await db.writeTransaction { db in
            try await check.create(on: db)
            for team in teams {
                let contacts = team.contacts.filter { kinds.contains($0.kind) }.sorted { $0.value < $1.value }
                if contacts.isEmpty {
                    try await challenge(
                        check, team: team, contact: nil, channel: .none, findings: ["no contact of the kinds checked"],
                        now: now, on: db)
                }
                for contact in contacts {
                    guard contact.kind.isEmail else {
                        try await challenge(
                            check, team: team, contact: contact, channel: .manual, findings: [], now: now, on: db)
                        continue
                    }
                    let key = ContactFindings.Key(
                        present: contact.pgpKey != nil, finding: contact.pgpFinding, expiresAt: contact.pgpExpiresAt,
                        userIDs: contact.pgpUserIDs, directoryFingerprint: contact.pgpFingerprint,
                        keyFingerprint: contact.id.flatMap { keyFingerprints[$0] })
                    let row = try await challenge(
                        check, team: team, contact: contact, channel: .email,
                        findings: ContactFindings.of(address: contact.value, key: key, now: now), now: now, on: db)
                    let message = try await Outbox.enqueue(
                        mail: .commCheck, subject: "[CHECK] Concord communication check: \(title)",
                        text: text(check, team: team, challenge: try row.requireID()), to: contact,
                        team: try team.requireID(), now: app.clock.now(), on: db)
                    row.outboxMessageID = message.id
                    try await row.save(on: db)
                }
            }
        }
        return check
    }

    /// Marks a challenge answered (the first answer counts); false when it already was.
    @discardableResult
    static func answer(_ challenge: CommChallenge, via: String, at now: Date, on db: any Database) async throws -> Bool
    {
        guard challenge.answeredAt == nil else { return false }
        challenge.answeredAt = now
        challenge.answeredVia = via
        try await challenge.save(on: db)
        return true
    }

    /// Answers a challenge from a reply mail: the link's token in its text, and an inline
    /// OpenPGP signature that the challenged contact's own key verifies.
    static func answer(reply mail: String, at now: Date, app: Application, on db: any Database) async throws
        -> CommChallenge
    {
        guard
            let token = mail.range(
                of: #"/\#(Paths.Checks.link)/[0-9a-f-]{36}\.[A-Za-z0-9_-]+"#, options: .regularExpression),
            let id = app.serverSecret.challenge(
                fromToken: String(mail[token].dropFirst("/\(Paths.Checks.link)/".count))),
            let challenge = try await CommChallenge.find(id, on: db)
        else { throw ConcordError.invalid(field: "mail", "holds no challenge link of this server") }
        guard let contactID = challenge.contactID, let contact = try await Contact.find(contactID, on: db),
            let key = contact.pgpKey, let fingerprint = contact.pgpFingerprint
        else { throw ConcordError.invalid(field: "mail", "the challenged contact has no key to verify a signature") }
        guard let signed = OpenPGPSignature.signedBlock(in: mail) else {
            throw ConcordError.invalid(field: "mail", "is not signed (an inline OpenPGP signature is needed)")
        }
        guard
            try await OpenPGPSignature.verifies(
                signed, key: key, fingerprint: fingerprint, gnupg: app.gnupg,
                keysDirectory: app.concord.verifyingKeysDirectory)
        else {
            throw ConcordError.invalid(field: "mail", "the signature does not verify with the key of \(contact.value)")
        }
        try await answer(challenge, via: "signed-mail", at: now, on: db)
        return challenge
    }

    /// The mail's text: what the check is, the link, and that a signed reply works too.
    static func text(_ check: CommCheck, team: Team, challenge: UUID) -> String {
        [
            "Concord communication check: \(check.title)", "",
            "The forum checks that every listed 24/7 contact of its teams answers. This address is listed for "
                + "\(team.shortName).", "",
            "Please confirm that you received this message, within \(DrillDuration.text(check.windowSeconds)), "
                + "by opening this link and pressing the button:", "",
            NotificationText.challengeURL(challenge), "",
            "or by replying with this message quoted, signed with this contact's OpenPGP key.", "",
            "This is a check, not an incident.",
        ].joined(separator: "\n")
    }

    @discardableResult
    private static func challenge(
        _ check: CommCheck, team: Team, contact: Contact?, channel: CommChallenge.Channel, findings: [String],
        now: Date, on db: any Database
    ) async throws -> CommChallenge {
        let row = CommChallenge()
        row.id = UUID()
        row.checkID = try check.requireID()
        row.teamID = try team.requireID()
        row.contactID = contact?.id
        row.kind = contact?.kind.rawValue ?? "none"
        row.channel = channel
        row.address = contact?.value ?? ""
        row.sentAt = now
        row.findings = try DrillPlanner.json(findings)
        try await row.create(on: db)
        return row
    }
}
