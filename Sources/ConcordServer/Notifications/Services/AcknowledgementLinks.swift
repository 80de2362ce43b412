import ConcordCore
import Fluent
import FluentSQL
import Vapor

/// Acknowledging an assignment by the one-time link in a notification e-mail. Opening the link
/// (GET) only shows what it would do, because mail scanners open links; the button on that page
/// (POST) acknowledges, once, before the link expires.
enum AcknowledgementLinks {
    /// What a link leads to, for the confirmation page.
    struct Target: Sendable {
        let link: AcknowledgementLink
        let assignment: IncidentAssignment
        let incidentNumber: String
        let teamName: String
    }

    /// The link a token names, with its assignment; 404 for a token that is wrong or unknown.
    static func target(token: String, on db: any Database, secret: ServerSecret) async throws -> Target {
        guard let id = secret.acknowledgementLink(fromToken: token),
            let link = try await AcknowledgementLink.query(on: db).filter(\.$id == id)
                .with(\.$assignment, { $0.with(\.$team).with(\.$incident) }).first()
        else { throw ConcordError.notFound("this acknowledgement link") }
        return Target(
            link: link, assignment: link.assignment, incidentNumber: link.assignment.incident.number,
            teamName: link.assignment.team.shortName)
    }

    /// Why the link cannot acknowledge any more, or nil when it can.
    static func refusal(_ target: Target, at now: Date) -> String? {
        if target.link.usedAt != nil { return "This link has been used already." }
        if target.link.expiresAt <= now { return "This link has expired." }
        if target.assignment.state != .notified {
            return "\(target.teamName)'s assignment is \(target.assignment.state) already."
        }
        return nil
    }

    /// Uses the link: marks it used (only one request can win) and acknowledges the assignment,
    /// with the timeline naming the address the link was sent to.
    static func acknowledge(_ target: Target, at now: Date, caller: Caller) async throws {
        if let refusal = refusal(target, at: now) { throw ConcordError(.conflict, refusal) }
        let assignment = target.assignment
        var procedure = assignment.procedure
        let actions: [AssignmentAction]
        do { actions = try procedure.handle(.acknowledge, at: now) } catch {
            throw ConcordError(.conflict, error.description)
        }
        assignment.move(to: procedure.state, at: now)
        assignment.escalations = procedure.escalations
        let linkID = try target.link.requireID()
        let actor = "\(target.link.recipient) (link in e-mail)"
        try await caller.db.writeTransaction { db in
            guard let sql = db as? any SQLDatabase else { throw ConcordError(.unavailable, "links need SQL") }
            let claimed = try await sql.raw(
                """
                UPDATE acknowledgement_links SET used_at = \(bind: now)
                WHERE id = \(bind: linkID) AND used_at IS NULL RETURNING id
                """
            ).all()
            guard !claimed.isEmpty else { throw ConcordError(.conflict, "This link has been used already.") }
            try await IncidentService.perform(
                actions, on: assignment, teamName: target.teamName, actor: actor, at: now, on: db)
            try await AuditLog.record(
                "incident.assignment", by: .init(name: actor, clock: caller.clock), targetType: "incident",
                targetID: target.incidentNumber, summary: "\(target.teamName): acknowledged by e-mail link", on: db)
        }
    }
}
