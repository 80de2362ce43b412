import ConcordCore
import Fluent
import Foundation
import Vapor

/// Answers to injects that come back as mail: exercise control's mailbox posts each reply; one
/// signed inline with the emergency key of a playing team acknowledges the inject whose subject
/// it carries, and counts as a signed answer in the report.
enum DrillReplies {
    /// Records the reply `mail` in `drill`; returns the action.
    static func answer(_ mail: String, in drill: Drill, at now: Date, app: Application, on db: any Database)
        async throws -> DrillActionRecord
    {
        guard let from = ReplyMail.sender(of: mail) else {
            throw ConcordError.invalid(field: "mail", "has no From address")
        }
        let drillID = try drill.requireID()
        let players = try await DrillParticipant.query(on: db).filter(\.$drillID == drillID).filter(\.$part == .player)
            .all(\.$teamID)
        guard
            let contact = try await Contact.query(on: db).filter(\.$team.$id ~~ players)
                .filter(\.$kind == .emergencyEmail).all()
                .first(where: { $0.value.lowercased() == from.lowercased() })
        else { throw ConcordError.invalid(field: "mail", "\(from) is not the emergency address of a playing team") }
        guard let key = contact.pgpKey, let fingerprint = contact.pgpFingerprint else {
            throw ConcordError.invalid(field: "mail", "\(from) has no key to verify a signature with")
        }
        guard let signed = OpenPGPSignature.signedBlock(in: mail),
            try await OpenPGPSignature.verifies(
                signed, key: key, fingerprint: fingerprint, gnupg: app.gnupg,
                keysDirectory: app.concord.verifyingKeysDirectory)
        else { throw ConcordError.invalid(field: "mail", "is not signed with the key of \(from)") }
        let teamID = contact.$team.id
        guard let team = try await Team.query(on: db).filter(\.$id == teamID).with(\.$economy).first() else {
            throw ConcordError.notFound("team")
        }
        let delivered = try await DrillDelivery.query(on: db).filter(\.$drillID == drillID)
            .filter(\.$teamID == teamID).sort(\.$deliveredAt, .descending).all(\.$injectID)
        let injects = try await DrillInjectRecord.query(on: db).filter(\.$id ~~ delivered).all()
        let ordered = delivered.compactMap { id in injects.first { $0.id == id } }
        guard
            let inject = ordered.first(where: { mail.contains(DrillInjectText.subject($0, drill: drill, team: team)) })
        else { throw ConcordError.invalid(field: "mail", "names no inject \(team.shortName) received") }
        let user = try await User.query(on: db).filter(\.$team.$id == teamID).sort(\.$email).first()
        return try await DrillResponses.record(
            .acknowledge, to: inject.key, in: drill, team: teamID, user: try user?.requireID() ?? UUID(),
            signed: true, at: now, on: db)
    }
}
