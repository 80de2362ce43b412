import ConcordCore
import Fluent
import Foundation
import SQLKit

/// Moves votes between meetings along their periods: opens each when its discussion ends (the
/// roll of voting members taken then, under the constitution in force that day, and the call sent
/// to each), reminds the teams on the roll that have not voted (72 and 24 hours before the close,
/// as the constitution says; each reminder once, its row written before its mail), and closes and
/// judges each at its close. `concord serve` runs it every minute, on one instance at a time.
enum GovernanceVoteScheduler {
    /// What one run did.
    struct Run: Equatable, Sendable {
        var opened = 0
        var reminded = 0
        var closed = 0
    }

    @discardableResult
    static func runDue(at now: Date, publicURL: String, clock: any ConcordClock, on db: any Database) async throws
        -> Run
    {
        var run = Run()
        for vote in try await GovernanceVote.query(on: db).filter(\.$state == .discussion).filter(\.$opensAt <= now)
            .all()
        where try await open(vote, at: now, publicURL: publicURL, clock: clock, on: db) {
            run.opened += 1
        }
        for vote in try await GovernanceVote.query(on: db).filter(\.$state == .voting).all() {
            if vote.closesAt <= now {
                if try await close(vote, at: now, clock: clock, on: db) { run.closed += 1 }
            } else {
                run.reminded += try await remind(vote, at: now, publicURL: publicURL, on: db)
            }
        }
        return run
    }

    /// Opens `vote`: takes the roll of voting members on the day it opens, in its zone.
    static func open(
        _ vote: GovernanceVote, at now: Date, publicURL: String, clock: any ConcordClock, on db: any Database
    )
        async throws -> Bool
    {
        let zone = TimeZone(identifier: vote.timeZone) ?? .gmt
        let day = GovernanceVotes.day(of: vote.opensAt, in: zone)
        let rules = try await GovernanceVotes.rules(on: day, db: db)
        let roll = try await MeetingRoll.votingMembers(on: day, under: rules, db: db).sorted { $0.slug < $1.slug }
        let ids = String(decoding: try JSONEncoder().encode(roll.compactMap(\.id)), as: UTF8.self)
        return try await db.writeTransaction { db in
            guard let sql = db as? any SQLDatabase else { throw ConcordError(.unavailable, "no SQL database") }
            let moved = try await sql.raw(
                """
                UPDATE governance_votes SET state = 'voting', opened_at = \(bind: vote.opensAt), roll = \(bind: ids),
                roll_sha256 = \(bind: VoteRoll.digest(roll.map(\.slug)))
                WHERE id = \(bind: vote.requireID()) AND state = 'discussion' RETURNING id
                """
            ).all()
            guard !moved.isEmpty else { return false }
            for team in roll {
                try await GovernanceVoteMail.call(vote, to: team, publicURL: publicURL, now: now, on: db)
            }
            try await AuditLog.recordSystem(
                "governance.vote.open", actor: "vote scheduler", targetType: "vote", targetID: vote.reference,
                summary: "\(vote.reference) open to \(roll.count) voting members until the close", clock: clock, on: db)
            return true
        }
    }

    /// Sends the reminder due now, once, to the teams on the roll that have not voted.
    static func remind(_ vote: GovernanceVote, at now: Date, publicURL: String, on db: any Database) async throws -> Int
    {
        let rules = try await GovernanceVotes.rules(of: vote, db: db)
        guard let hours = vote.period.reminderDue(at: now, hours: rules.votesBetweenMeetings.reminderHours) else {
            return 0
        }
        let voted = Set(
            try await GovernanceBallot.query(on: db).filter(\.$vote.$id == vote.requireID()).all(\.$team.$id))
        let waiting = vote.rollIDs.filter { !voted.contains($0) }
        return try await db.writeTransaction { db in
            guard let sql = db as? any SQLDatabase else { throw ConcordError(.unavailable, "no SQL database") }
            let claimed = try await sql.insert(into: GovernanceVotes.remindersSchema)
                .columns("vote_id", "hours_before", "sent_at")
                .values(SQLBind(try vote.requireID()), SQLBind(hours), SQLBind(now))
                .ignoringConflicts(with: ["vote_id", "hours_before"])
                .returning("vote_id").all()
            guard !claimed.isEmpty, !waiting.isEmpty else { return 0 }
            let teams = try await Team.query(on: db).filter(\.$id ~~ waiting).with(\.$contacts).all()
            for team in teams {
                try await GovernanceVoteMail.reminder(
                    vote, hoursBefore: hours, to: team, publicURL: publicURL, now: now, on: db)
            }
            return teams.count
        }
    }

    /// Closes `vote` and judges its ballots: participation against the general meeting's quorum
    /// rule, then the count by the majority its kind needs between meetings.
    static func close(_ vote: GovernanceVote, at now: Date, clock: any ConcordClock, on db: any Database) async throws
        -> Bool
    {
        let rules = try await GovernanceVotes.rules(of: vote, db: db)
        return try await db.writeTransaction { db in
            guard let sql = db as? any SQLDatabase else { throw ConcordError(.unavailable, "no SQL database") }
            // The close's first write: a ballot racing it waits, then finds the vote closed.
            let closing = try await sql.raw(
                """
                UPDATE governance_votes SET closed_at = \(bind: vote.closesAt)
                WHERE id = \(bind: vote.requireID()) AND state = 'voting' RETURNING id
                """
            ).all()
            guard !closing.isEmpty else { return false }
            let roll = Set(vote.rollIDs)
            let choices = try await GovernanceBallot.query(on: db).filter(\.$vote.$id == vote.requireID()).all()
                .filter { roll.contains($0.$team.id) }.map(\.choice)
            let count = VoteCount(choices)
            let quorum = QuorumCheck(
                present: count.answered, votingMembers: roll.count, rule: rules.generalMeeting.quorum)
            let judgement: MotionJudgement
            do {
                judgement = try MotionJudgement(
                    count: count, majority: rules.majority(for: vote.kind, atMeeting: false), present: count.answered,
                    votingMembers: roll.count, tieRule: rules.tieRule)
            } catch {
                throw ConcordError(.conflict, "the count of \(vote.reference) cannot be judged: \(error)")
            }
            try await settle(vote, judgement: judgement, quorum: quorum, from: .voting, clock: clock, db: db)
            return true
        }
    }

    /// Writes the judgement: carried only when the quorum was met and the majority reached (a
    /// carried vote takes the year's next resolution number); failed otherwise; a tie the chair
    /// may decide waits for the casting vote.
    static func settle(
        _ vote: GovernanceVote, judgement: MotionJudgement, quorum: QuorumCheck, from: GovernanceVoteState,
        clock: any ConcordClock, actor: String = "vote scheduler", db: any Database
    ) async throws {
        guard let sql = db as? any SQLDatabase else { throw ConcordError(.unavailable, "no SQL database") }
        let state: GovernanceVoteState =
            switch (quorum.isMet, judgement.outcome) {
            case (false, _): .failed
            case (true, .carried): .carried
            case (true, .failed): .failed
            case (true, .awaitingCastingVote): .awaitingCastingVote
            }
        var resolution: String?
        if state == .carried {
            let year = GovernanceVotes.day(of: vote.closesAt, in: TimeZone(identifier: vote.timeZone) ?? .gmt).year
            resolution = "VOTE-\(year)-R\(try await GovernanceVotes.counter("resolutions", year: year, on: db))"
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let moved = try await sql.raw(
            """
            UPDATE governance_votes SET state = \(bind: state.rawValue),
            judgement = \(bind: String(decoding: try encoder.encode(judgement), as: UTF8.self)),
            quorum = \(bind: String(decoding: try encoder.encode(quorum), as: UTF8.self)), resolution = \(bind: resolution)
            WHERE id = \(bind: vote.requireID()) AND state = \(bind: from.rawValue) RETURNING id
            """
        ).all()
        guard !moved.isEmpty else { throw ConcordError(.conflict, "\(vote.reference) moved on meanwhile") }
        let count = judgement.count
        try await AuditLog.recordSystem(
            "governance.vote.close", actor: actor, targetType: "vote", targetID: vote.reference,
            summary: "\(vote.reference) \(state.rawValue): \(count.yes) yes, \(count.no) no, \(count.abstain) abstain; "
                + "\(quorum); \(judgement.required) needed (\(judgement.majority))"
                + (resolution.map { " → \($0)" } ?? ""),
            clock: clock, on: db)
    }
}
