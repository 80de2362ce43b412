import ConcordCore
import Fluent
import Foundation
import SQLKit

/// Votes between meetings: the secretariat proposes one (a kind, a title, a text, a time zone);
/// its discussion and voting periods come from the constitution in force that day; the scheduler
/// opens it with the roll of voting members, reminds those who have not voted and closes it
/// (`GovernanceVoteScheduler`); ballots come by the web, the API or a signed reply mail
/// (`GovernanceBallots`, `GovernanceVoteMail`).
enum GovernanceVotes {
    static let remindersSchema = "governance_vote_reminders"
    static let countersSchema = "governance_vote_counters"

    /// What proposing a vote takes.
    struct Proposal: Sendable {
        var kind: DecisionKind?
        var title: String?
        var text: String?
        /// The IANA zone its days are counted in; the secretariat's team's when absent.
        var timeZone: String?
    }

    /// Every vote, the newest first.
    static func list(caller: Caller) async throws -> [GovernanceVote] {
        try caller.policy.require(.readGovernance)
        return try await GovernanceVote.query(on: caller.db).sort(\.$proposedAt, .descending).all()
    }

    /// The vote by reference, or 404.
    static func find(_ reference: String?, on db: any Database) async throws -> GovernanceVote {
        guard let reference,
            let vote = try await GovernanceVote.query(on: db).filter(\.$reference == reference.uppercased()).first()
        else { throw ConcordError.notFound("vote") }
        return vote
    }

    /// Proposes a vote: numbered first in its transaction (the year's counter row), its periods
    /// counted from now under the constitution in force today in its zone.
    static func propose(_ proposal: Proposal, caller: Caller) async throws -> GovernanceVote {
        try caller.policy.require(.runMeetings)
        var problems: [ConcordError.FieldError] = []
        let title = proposal.title?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        let text = proposal.text?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        if proposal.kind == nil {
            problems.append(
                .init(
                    field: "kind",
                    detail: "must be one of \(DecisionKind.allCases.map(\.rawValue).joined(separator: ", "))"))
        }
        if title.isEmpty || title.count > 200 {
            problems.append(.init(field: "title", detail: "must be 1–200 characters"))
        }
        if text.isEmpty || text.count > 20_000 {
            problems.append(.init(field: "text", detail: "must be 1–20,000 characters"))
        }
        var zoneName = proposal.timeZone
        if zoneName == nil {
            zoneName = try await Team.query(on: caller.db).filter(\.$isSecretariat == true).first()?.timeZone ?? "UTC"
        }
        let zone = zoneName.flatMap(TimeZone.init(identifier:))
        if zone == nil {
            problems.append(.init(field: "timeZone", detail: "must be an IANA time zone, such as Asia/Tokyo"))
        }
        guard problems.isEmpty, let kind = proposal.kind, let zone, let zoneName else {
            throw ConcordError.invalid(problems)
        }
        let now = caller.clock.now()
        let rules = try await rules(on: day(of: now, in: zone), db: caller.db)
        let period = VotingPeriod(proposedAt: now, timeZone: zone, rules: rules.votesBetweenMeetings)
        let vote = GovernanceVote()
        vote.kind = kind
        vote.title = title
        vote.text = text
        vote.timeZone = zoneName
        vote.state = .discussion
        vote.proposedAt = now
        vote.proposedBy = caller.actor.name
        vote.opensAt = period.opensAt
        vote.closesAt = period.closesAt
        try await caller.db.writeTransaction { db in
            let year = CivilDate(second: Int64(now.timeIntervalSince1970) + Int64(zone.secondsFromGMT(for: now))).year
            vote.reference = "VOTE-\(year)-\(try await counter("votes", year: year, on: db))"
            try await vote.create(on: db)
            try await AuditLog.record(
                "governance.vote.propose", targetType: "vote", targetID: vote.reference,
                summary: "\(vote.reference) proposed (\(kind.rawValue)): \(title)", caller: caller, on: db)
        }
        return vote
    }

    /// Withdraws a vote that has not closed.
    static func withdraw(_ reference: String?, caller: Caller) async throws -> GovernanceVote {
        try caller.policy.require(.runMeetings)
        let vote = try await find(reference, on: caller.db)
        try await caller.db.writeTransaction { db in
            guard let sql = db as? any SQLDatabase else { throw ConcordError(.unavailable, "no SQL database") }
            let moved = try await sql.raw(
                """
                UPDATE governance_votes SET state = 'withdrawn', closed_at = \(bind: caller.clock.now())
                WHERE id = \(bind: vote.requireID()) AND state IN ('discussion', 'voting') RETURNING id
                """
            ).all()
            guard !moved.isEmpty else {
                throw ConcordError(
                    .conflict, "\(vote.reference) is \(vote.state.rawValue): it can no longer be withdrawn")
            }
            try await AuditLog.record(
                "governance.vote.withdraw", targetType: "vote", targetID: vote.reference,
                summary: "\(vote.reference) withdrawn", caller: caller, on: db)
        }
        return try await find(vote.reference, on: caller.db)
    }

    /// The day of `instant` in `zone`.
    static func day(of instant: Date, in zone: TimeZone) -> CivilDate {
        CivilDate(second: Int64(instant.timeIntervalSince1970) + Int64(zone.secondsFromGMT(for: instant)))
    }

    /// The constitution in force on `day`; 409 when there is none.
    static func rules(on day: CivilDate, db: any Database) async throws -> Constitution {
        guard let adopted = try await Constitutions.inForce(on: day, db: db) else {
            throw ConcordError(.conflict, "no constitution is in force on \(day): adopt the founding rules first")
        }
        return adopted.rules
    }

    /// The constitution a vote is judged by: the one in force on the day it opened (or opens).
    static func rules(of vote: GovernanceVote, db: any Database) async throws -> Constitution {
        let zone = TimeZone(identifier: vote.timeZone) ?? .gmt
        return try await rules(on: day(of: vote.openedAt ?? vote.opensAt, in: zone), db: db)
    }

    /// Bumps the year's counter `column` (votes or resolutions) and answers the number it reached:
    /// the first write of its transaction, so concurrent writers take numbers in turn.
    static func counter(_ column: String, year: Int, on db: any Database) async throws -> Int {
        guard let sql = db as? any SQLDatabase else { throw ConcordError(.unavailable, "no SQL database") }
        let (votes, resolutions) = column == "votes" ? (1, 0) : (0, 1)
        guard
            let row = try await sql.raw(
                """
                INSERT INTO \(ident: countersSchema) (year, votes, resolutions)
                VALUES (\(bind: year), \(bind: votes), \(bind: resolutions))
                ON CONFLICT (year) DO UPDATE SET \(ident: column) = \(ident: countersSchema).\(ident: column) + 1
                RETURNING \(ident: column)
                """
            ).first()
        else { throw ConcordError(.unavailable, "the vote counter answered nothing") }
        return try row.decode(column: column, as: Int.self)
    }
}
