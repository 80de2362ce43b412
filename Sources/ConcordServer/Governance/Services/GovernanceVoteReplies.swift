import ConcordCore
import Fluent
import Foundation
import SQLKit

/// Ballots that come as reply mail: the forum's mailbox posts each reply. One from a team's
/// e-mail contact, signed inline with that contact's key (checked by GnuPG, as drills' replies
/// are), carrying one line `VOTE <reference> YES|NO|ABSTAIN`, is the team's ballot, acknowledged
/// with a receipt signed by the forum's key; any other is refused with its reason, to the sender
/// when the address is a team's.
enum GovernanceVoteReplies {
    /// A counted reply: the ballot, and the receipt mailed back.
    struct Counted: Sendable {
        let ballot: GovernanceBallot
        let vote: GovernanceVote
        let team: Team
        let receipt: String
    }

    static func receive(_ mail: String, caller: Caller) async throws -> Counted {
        try caller.policy.require(.runMeetings)
        guard !mail.isEmpty else {
            throw ConcordError.invalid(field: "mail", "send the reply mail as the request body")
        }
        guard let from = ReplyMail.sender(of: mail) else {
            throw ConcordError.invalid(field: "mail", "has no From address")
        }
        let contacts = try await contacts(at: from, db: caller.db)
        guard let contact = contacts.first(where: { $0.pgpKey != nil }) ?? contacts.first,
            let team = try await Team.find(contact.$team.id, on: caller.db)
        else { throw ConcordError.invalid(field: "mail", "\(from) is no team's address in the directory") }
        let now = caller.clock.now()
        func refuse(_ reason: String, code: ConcordError.Code = .validation) async throws -> Never {
            try await caller.db.writeTransaction { db in
                try await GovernanceVoteMail.refusal(reason, to: contact, team: team.requireID(), now: now, on: db)
            }
            if code == .validation { throw ConcordError.invalid(field: "mail", reason) }
            throw ConcordError(code, "the reply \(reason)")
        }
        guard let key = contact.pgpKey, let fingerprint = contact.pgpFingerprint else {
            try await refuse("comes from \(from), which has no key in the directory to verify a signature with")
        }
        guard let signed = OpenPGPSignature.signedBlock(in: mail) else {
            try await refuse("is not signed: sign the VOTE line inline (gpg --clearsign)")
        }
        guard
            try await OpenPGPSignature.verifies(
                signed, key: key, fingerprint: fingerprint, gnupg: caller.app.gnupg,
                keysDirectory: caller.app.concord.verifyingKeysDirectory)
        else { try await refuse("is not signed with the key of \(from) (\(fingerprint))") }
        let reply: BallotReply
        switch BallotReply.parse(ReplyMail.signedText(of: signed)) {
        case .success(let parsed): reply = parsed
        case .failure(let refusal): try await refuse(refusal.description)
        }
        guard let vote = try await GovernanceVote.query(on: caller.db).filter(\.$reference == reply.reference).first()
        else { try await refuse("names no vote \(reply.reference)") }
        let receipt = GovernanceVoteMail.receiptText(
            reply.choice, at: now, vote: vote, team: team, fingerprint: fingerprint)
        let teamID = try team.requireID()
        let ballot: GovernanceBallot
        do {
            ballot = try await GovernanceBallots.record(
                reply.choice, in: vote, team: team, channel: .mail, signed: true, castBy: "signed mail from \(from)",
                at: now, db: caller.db
            ) { db in
                try await AuditLog.record(
                    "governance.vote.ballot", targetType: "vote", targetID: vote.reference,
                    summary: "\(team.shortName) voted on \(vote.reference) by signed mail", caller: caller, on: db)
                try await GovernanceVoteMail.receipt(receipt, vote: vote, to: contact, team: teamID, now: now, on: db)
            }
        } catch let error as ConcordError where error.code == .conflict {
            try await refuse("was not counted: \(error.detail)", code: .conflict)
        }
        return Counted(ballot: ballot, vote: vote, team: team, receipt: receipt)
    }

    /// The e-mail contacts whose address is `address`, in any case.
    private static func contacts(at address: String, db: any Database) async throws -> [Contact] {
        guard let sql = db as? any SQLDatabase else { throw ConcordError(.unavailable, "no SQL database") }
        let ids = try await sql.raw(
            "SELECT id FROM \(ident: Contact.schema) WHERE lower(value) = \(bind: address.lowercased())"
        ).all().map { try $0.decode(column: "id", as: UUID.self) }
        guard !ids.isEmpty else { return [] }
        return try await Contact.query(on: db).filter(\.$id ~~ ids).all().filter { $0.kind.isEmail }
    }
}
