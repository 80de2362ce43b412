import ConcordCore
import Fluent
import Foundation
import SQLKit

/// Ballots in votes between meetings: each team on the roll votes once, while the vote is open,
/// by its own handlers and administrators (the web and the API) or by a reply signed with its key
/// (`GovernanceVoteMail`); the secretariat records none for a team, and no one changes a ballot.
enum GovernanceBallots {
    /// Casts the caller's own team's ballot by the web or the API.
    static func cast(_ reference: String?, choice: VoteChoice?, channel: BallotChannel, caller: Caller) async throws
        -> GovernanceBallot
    {
        let principal = try caller.requirePrincipal()
        guard caller.policy.allows(.actForTeamInMeeting(team: principal.teamID)) else { throw ConcordError.forbidden }
        guard let choice else { throw ConcordError.invalid(field: "choice", "must be yes, no or abstain") }
        let vote = try await GovernanceVotes.find(reference, on: caller.db)
        guard let team = try await Team.find(principal.teamID, on: caller.db) else { throw ConcordError.forbidden }
        return try await record(
            choice, in: vote, team: team, channel: channel, signed: false, castBy: caller.actor.name,
            at: caller.clock.now(), db: caller.db
        ) { db in
            try await AuditLog.record(
                "governance.vote.ballot", targetType: "vote", targetID: vote.reference,
                summary: "\(team.shortName) voted on \(vote.reference) by the \(channel.rawValue)", caller: caller,
                on: db)
        }
    }

    /// Writes `team`'s ballot: refused when the team is not on the roll, the vote is not open or
    /// the team has voted; the vote's row is read under a share lock after the insert, so a close
    /// racing it either sees the ballot or refuses it.
    static func record(
        _ choice: VoteChoice, in vote: GovernanceVote, team: Team, channel: BallotChannel, signed: Bool,
        castBy: String, at now: Date, db: any Database, audit: @escaping @Sendable (any Database) async throws -> Void
    ) async throws -> GovernanceBallot {
        let teamID = try team.requireID()
        guard vote.state == .voting, now < vote.closesAt else {
            throw ConcordError(
                .conflict,
                vote.state == .discussion
                    ? "\(vote.reference) is under discussion: voting opens \(ISODate.string(vote.opensAt))"
                    : "\(vote.reference) is \(vote.state.rawValue): no vote is open on it")
        }
        guard vote.rollIDs.contains(teamID) else {
            throw ConcordError(
                .conflict, "\(team.shortName) is not on the roll of \(vote.reference): it holds no vote in it")
        }
        let ballot = GovernanceBallot()
        ballot.$vote.id = try vote.requireID()
        ballot.$team.id = teamID
        ballot.choice = choice
        ballot.channel = channel
        ballot.signed = signed
        ballot.castBy = castBy
        ballot.castAt = now
        do {
            try await db.writeTransaction { db in
                try await ballot.create(on: db)
                guard try await lockedState(of: vote.requireID(), db: db) == .voting else {
                    throw ConcordError(.conflict, "the vote on \(vote.reference) has closed")
                }
                try await audit(db)
            }
        } catch let error as any DatabaseError where error.isConstraintFailure {
            throw ConcordError(.conflict, "\(team.shortName) has voted on \(vote.reference) already")
        }
        return ballot
    }

    /// The vote's state, its row locked against a close (PostgreSQL; SQLite's writers take turns),
    /// and open only while nothing has marked it closed.
    private static func lockedState(of voteID: UUID, db: any Database) async throws -> GovernanceVoteState? {
        guard let sql = db as? any SQLDatabase else { throw ConcordError(.unavailable, "no SQL database") }
        let lock = sql.dialect.name == "postgresql" ? "FOR SHARE" : ""
        let row = try await sql.raw(
            "SELECT state, closed_at FROM governance_votes WHERE id = \(bind: voteID) \(unsafeRaw: lock)"
        ).first()
        guard let row, try row.decodeNil(column: "closed_at") else { return nil }
        return GovernanceVoteState(rawValue: try row.decode(column: "state", as: String.self))
    }

    /// The chair's casting vote on a tie the constitution lets the chair decide.
    static func decideTie(_ reference: String?, castingVote: Bool?, caller: Caller) async throws -> GovernanceVote {
        try caller.policy.require(.runMeetings)
        guard let castingVote else {
            throw ConcordError.invalid(field: "castingVote", "must be true (yes) or false (no)")
        }
        let vote = try await GovernanceVotes.find(reference, on: caller.db)
        guard vote.state == .awaitingCastingVote, let judged = vote.judged, let quorum = vote.quorumCheck else {
            throw ConcordError(.conflict, "\(vote.reference) is not waiting for a casting vote")
        }
        let rules = try await GovernanceVotes.rules(of: vote, db: caller.db)
        let judgement: MotionJudgement
        do {
            judgement = try MotionJudgement(
                count: judged.count, majority: judged.majority, present: quorum.present,
                votingMembers: quorum.votingMembers, tieRule: rules.tieRule, castingVote: castingVote)
        } catch {
            throw ConcordError(.conflict, "the count cannot be judged: \(error)")
        }
        try await caller.db.writeTransaction { db in
            try await GovernanceVoteScheduler.settle(
                vote, judgement: judgement, quorum: quorum, from: .awaitingCastingVote, clock: caller.clock,
                actor: caller.actor.name, db: db)
        }
        return try await GovernanceVotes.find(vote.reference, on: caller.db)
    }
}
