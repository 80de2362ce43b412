import ConcordCore
import Fluent
import Foundation
import SQLKit

extension Motions {
    /// Casts `teamSlug`'s named vote (default: the caller's own team): by the team's representative
    /// when the team is present, by the holder's representative when it is represented by proxy, or
    /// recorded by the secretariat. Only a voting member present or represented when the vote
    /// opened (the motion's roll) votes, once (a second vote is refused by the unique key); a vote after the close is
    /// refused, because the close and the vote lock the motion's row in turn.
    static func castVote(
        _ reference: String?, choice: VoteChoice?, team teamSlug: String?, caller: Caller
    ) async throws -> MotionVote {
        let principal = try caller.requirePrincipal()
        try Meetings.requireParticipant(caller)
        guard let choice else { throw ConcordError.invalid(field: "choice", "must be yes, no or abstain") }
        let motion = try await find(reference, on: caller.db)
        let meeting = motion.meeting
        let voter: Team
        if let teamSlug {
            voter = try await MeetingAttendanceService.loadTeam(teamSlug, db: caller.db)
        } else {
            guard
                let own = try await Team.query(on: caller.db).filter(\.$id == principal.teamID).with(\.$category)
                    .first()
            else { throw ConcordError.forbidden }
            voter = own
        }
        let voterID = try voter.requireID()
        let records = caller.policy.allows(.runMeetings)
        guard records || caller.policy.allows(.actForTeamInMeeting(team: principal.teamID)) else {
            throw ConcordError.forbidden
        }
        guard motion.state == .voting else {
            throw ConcordError(.conflict, "\(motion.reference) is \(motion.state.rawValue): no vote is open on it")
        }
        let rules = try await MeetingRoll.rules(for: meeting, db: caller.db)
        guard MeetingRoll.rights(of: voter, on: MeetingRoll.day(of: meeting), under: rules).contains(.vote) else {
            throw ConcordError(.conflict, "\(voter.shortName) holds no vote at \(meeting.reference)")
        }
        let attendance = try await MeetingAttendance.query(on: caller.db).filter(\.$meeting.$id == meeting.requireID())
            .filter(\.$team.$id == voterID).first()
        guard let attendance, motion.rollIDs.contains(voterID) else {
            throw ConcordError(
                .conflict,
                "\(voter.shortName) was neither present nor represented when the vote on \(motion.reference) opened")
        }
        var proxyHolder: UUID?
        if attendance.mode == .proxy {
            proxyHolder = attendance.$proxyHolder.id
            guard records || proxyHolder == principal.teamID else {
                throw ConcordError(.forbidden, "\(voter.shortName) is represented by proxy: its holder votes for it")
            }
        } else {
            guard records || voterID == principal.teamID else { throw ConcordError.forbidden }
        }
        let vote = MotionVote()
        vote.$motion.id = try motion.requireID()
        vote.$team.id = voterID
        vote.choice = choice
        vote.$castByProxy.id = proxyHolder
        vote.castBy = caller.actor.name
        vote.castAt = caller.clock.now()
        do {
            try await caller.db.writeTransaction { db in
                try await vote.create(on: db)
                guard try await lockedState(of: motion.requireID(), db: db) == .voting else {
                    throw ConcordError(.conflict, "the vote on \(motion.reference) has closed")
                }
                try await AuditLog.record(
                    "governance.motion.vote", targetType: "motion", targetID: motion.reference,
                    summary: "\(voter.shortName) voted on \(motion.reference)", caller: caller, on: db)
            }
        } catch let error as any DatabaseError where error.isConstraintFailure {
            throw ConcordError(.conflict, "\(voter.shortName) has voted on \(motion.reference) already")
        }
        return vote
    }

    /// The motion's state, its row locked against a close (PostgreSQL; SQLite's writers take turns).
    private static func lockedState(of motionID: UUID, db: any Database) async throws -> MotionState? {
        guard let sql = db as? any SQLDatabase else { throw ConcordError(.unavailable, "no SQL database") }
        let lock = sql.dialect.name == "postgresql" ? "FOR SHARE" : ""
        let row = try await sql.raw("SELECT state FROM motions WHERE id = \(bind: motionID) \(unsafeRaw: lock)").first()
        return try row.flatMap { MotionState(rawValue: try $0.decode(column: "state", as: String.self)) }
    }

    /// Closes the vote: counts the named votes and judges them by the majority the motion's kind
    /// needs, against the quorum check it opened with. A carried amendment becomes its motion's
    /// text; a carried motion a numbered resolution; a tie the chair may decide waits for that.
    static func closeVote(_ reference: String?, caller: Caller) async throws -> Motion {
        try caller.policy.require(.runMeetings)
        let motion = try await find(reference, on: caller.db)
        let rules = try await MeetingRoll.rules(for: motion.meeting, db: caller.db)
        let now = caller.clock.now()
        try await caller.db.writeTransaction { db in
            guard let sql = db as? any SQLDatabase else { throw ConcordError(.unavailable, "no SQL database") }
            let closing = try await sql.raw(
                """
                UPDATE motions SET closed_at = \(bind: now) WHERE id = \(bind: motion.requireID()) AND state = 'voting'
                RETURNING present_at_opening, voting_members_at_opening
                """
            ).first()
            guard let closing else { throw ConcordError(.conflict, "no vote is open on \(motion.reference)") }
            let present = try closing.decode(column: "present_at_opening", as: Int.self)
            let voting = try closing.decode(column: "voting_members_at_opening", as: Int.self)
            let choices = try await MotionVote.query(on: db).filter(\.$motion.$id == motion.requireID()).all().map(
                \.choice)
            let judgement = try judge(
                VoteCount(choices), majority: rules.majority(for: motion.kind, atMeeting: true), present: present,
                votingMembers: voting, tieRule: rules.tieRule, castingVote: nil)
            try await settle(motion, judgement: judgement, from: .voting, caller: caller, db: db)
        }
        return try await find(reference, on: caller.db)
    }

    /// The chair's casting vote on a tie the constitution lets the chair decide.
    static func decideTie(_ reference: String?, castingVote: Bool?, caller: Caller) async throws -> Motion {
        try caller.policy.require(.runMeetings)
        guard let castingVote else {
            throw ConcordError.invalid(field: "castingVote", "must be true (yes) or false (no)")
        }
        let motion = try await find(reference, on: caller.db)
        guard motion.state == .awaitingCastingVote, let judged = motion.judged else {
            throw ConcordError(.conflict, "\(motion.reference) is not waiting for a casting vote")
        }
        let rules = try await MeetingRoll.rules(for: motion.meeting, db: caller.db)
        try await caller.db.writeTransaction { db in
            let judgement = try judge(
                judged.count, majority: judged.majority, present: motion.presentAtOpening ?? 0,
                votingMembers: motion.votingMembersAtOpening ?? 0, tieRule: rules.tieRule, castingVote: castingVote)
            try await settle(motion, judgement: judgement, from: .awaitingCastingVote, caller: caller, db: db)
        }
        return try await find(reference, on: caller.db)
    }

    /// The judgement, or 409 when the count does not fit the roll it was taken on (never stored so).
    private static func judge(
        _ count: VoteCount, majority: Majority, present: Int, votingMembers: Int, tieRule: TieRule, castingVote: Bool?
    ) throws -> MotionJudgement {
        do {
            return try MotionJudgement(
                count: count, majority: majority, present: present, votingMembers: votingMembers, tieRule: tieRule,
                castingVote: castingVote)
        } catch {
            throw ConcordError(.conflict, "the count cannot be judged: \(error)")
        }
    }

    /// Writes the judgement and its consequences, the state moving only from `from`.
    private static func settle(
        _ motion: Motion, judgement: MotionJudgement, from: MotionState, caller: Caller, db: any Database
    ) async throws {
        guard let sql = db as? any SQLDatabase else { throw ConcordError(.unavailable, "no SQL database") }
        let state: MotionState =
            switch judgement.outcome {
            case .carried: .carried
            case .failed: .failed
            case .awaitingCastingVote: .awaitingCastingVote
            }
        var resolution: String?
        if state == .carried && motion.$amends.id == nil {
            let number = try await counter("resolutions", of: motion.$meeting.id, on: db)
            resolution = "\(motion.meeting.reference)-R\(number)"
        }
        let text = String(decoding: try JSONEncoder().encode(judgement), as: UTF8.self)
        let moved = try await sql.raw(
            """
            UPDATE motions SET state = \(bind: state.rawValue), judgement = \(bind: text), resolution = \(bind: resolution)
            WHERE id = \(bind: motion.requireID()) AND state = \(bind: from.rawValue) RETURNING id
            """
        ).all()
        guard !moved.isEmpty else { throw ConcordError(.conflict, "\(motion.reference) moved on meanwhile") }
        if state == .carried, let amendedID = motion.$amends.id {
            try await sql.raw(
                "UPDATE motions SET text = \(bind: motion.text) WHERE id = \(bind: amendedID) AND state = 'proposed'"
            ).run()
        }
        let count = judgement.count
        try await AuditLog.record(
            "governance.motion.close", targetType: "motion", targetID: motion.reference,
            summary:
                "\(motion.reference) \(state.rawValue): \(count.yes) yes, \(count.no) no, \(count.abstain) abstain; "
                + "\(judgement.required) needed (\(judgement.majority))" + (resolution.map { " → \($0)" } ?? ""),
            caller: caller, on: db)
    }
}
