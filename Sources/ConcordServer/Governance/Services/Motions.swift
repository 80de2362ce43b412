import ConcordCore
import Fluent
import Foundation
import SQLKit

/// Motions at a general meeting: proposed by a present voting member and seconded by another;
/// amendments voted before their motion; a vote opens only at quorum and records the check it
/// opened with; each voting member present or represented votes once, by name; the close judges
/// the count by the majority the motion's kind needs, under the constitution in force on the
/// meeting's day; a carried motion becomes a numbered resolution.
enum Motions {
    /// What proposing a motion takes.
    struct Proposal: Sendable {
        var kind: DecisionKind?
        var title: String?
        var text: String?
        var mover: String?
        var seconder: String?
        /// The reference of the motion this amends (its text is then the motion's whole new text).
        var amends: String?
    }

    static func find(_ reference: String?, on db: any Database) async throws -> Motion {
        guard let reference,
            let motion = try await Motion.query(on: db).filter(\.$reference == reference).with(\.$meeting).first()
        else { throw ConcordError.notFound("motion") }
        return motion
    }

    /// A voting member's team present or represented at the meeting, for moving and seconding.
    private static func presentVotingTeam(
        _ slug: String, field: String, meeting: GeneralMeeting, rules: Constitution, db: any Database
    ) async throws -> Team {
        let team = try await MeetingAttendanceService.loadTeam(slug, db: db)
        guard MeetingRoll.rights(of: team, on: MeetingRoll.day(of: meeting), under: rules).contains(.vote) else {
            throw ConcordError.invalid(field: field, "\(team.shortName) holds no vote at \(meeting.reference)")
        }
        let attends = try await MeetingAttendance.query(on: db).filter(\.$meeting.$id == meeting.requireID())
            .filter(\.$team.$id == team.requireID()).first()
        guard let attends, attends.mode != .proxy else {
            throw ConcordError.invalid(field: field, "\(team.shortName) is not present at \(meeting.reference)")
        }
        return team
    }

    /// Proposes a motion (or an amendment) at an open meeting. The mover's representative or the
    /// secretariat proposes it; its number comes from the meeting's counter, the transaction's
    /// first write.
    static func propose(_ meetingReference: String?, _ proposal: Proposal, caller: Caller) async throws -> Motion {
        try Meetings.requireParticipant(caller)
        let meeting = try await Meetings.find(meetingReference, on: caller.db)
        guard let moverSlug = proposal.mover else { throw ConcordError.invalid(field: "mover", "is required") }
        let rules = try await MeetingRoll.rules(for: meeting, db: caller.db)
        let mover = try await presentVotingTeam(
            moverSlug, field: "mover", meeting: meeting, rules: rules, db: caller.db)
        let moverID = try mover.requireID()
        guard caller.policy.allows(.runMeetings) || caller.policy.allows(.actForTeamInMeeting(team: moverID)) else {
            throw ConcordError.forbidden
        }
        guard meeting.state == .open else { throw ConcordError(.conflict, "\(meeting.reference) is not open") }
        var problems: [ConcordError.FieldError] = []
        let title = proposal.title?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        let text = proposal.text?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        if title.isEmpty || title.count > 200 {
            problems.append(.init(field: "title", detail: "must be 1–200 characters"))
        }
        if text.isEmpty || text.count > 20_000 {
            problems.append(.init(field: "text", detail: "must be 1–20,000 characters"))
        }
        guard problems.isEmpty else { throw ConcordError.invalid(problems) }
        var seconder: Team?
        if let slug = proposal.seconder {
            seconder = try await presentVotingTeam(
                slug, field: "seconder", meeting: meeting, rules: rules, db: caller.db)
            if seconder?.id == mover.id {
                throw ConcordError.invalid(field: "seconder", "must be another team than the mover")
            }
        }
        var amended: Motion?
        if let reference = proposal.amends {
            amended = try await find(reference, on: caller.db)
            guard amended?.$meeting.id == meeting.id, amended?.$amends.id == nil else {
                throw ConcordError.invalid(
                    field: "amends", "must be a motion (not an amendment) of \(meeting.reference)")
            }
            guard amended?.state == .proposed else {
                throw ConcordError(
                    .conflict, "\(reference) is \(amended?.state.rawValue ?? ""): it can no longer be amended")
            }
        }
        let meetingID = try meeting.requireID()
        let amendedReference = amended?.reference
        let motion = Motion()
        motion.id = UUID()
        motion.$meeting.id = meetingID
        motion.kind = amended?.kind ?? proposal.kind ?? .ordinary
        motion.title = title
        motion.text = text
        motion.$mover.id = moverID
        motion.$seconder.id = seconder?.id
        motion.$amends.id = amended?.id
        motion.state = .proposed
        motion.proposedAt = caller.clock.now()
        try await caller.db.writeTransaction { db in
            let number = try await counter("motions", of: meetingID, on: db)
            motion.reference = "\(meeting.reference)-M\(number)"
            try await motion.create(on: db)
            try await AuditLog.record(
                "governance.motion.propose", targetType: "motion", targetID: motion.reference,
                summary:
                    "\(mover.shortName) moved \(amendedReference.map { "an amendment to \($0): " } ?? "")\(title)",
                caller: caller, on: db)
        }
        return try await find(motion.reference, on: caller.db)
    }

    /// The next number of a meeting's counter (`motions` or `resolutions`), taken by one write.
    static func counter(_ column: String, of meetingID: UUID, on db: any Database) async throws -> Int {
        guard let sql = db as? any SQLDatabase else { throw ConcordError(.unavailable, "no SQL database") }
        guard
            let number = try await sql.raw(
                """
                UPDATE general_meetings SET \(unsafeRaw: column) = \(unsafeRaw: column) + 1
                WHERE id = \(bind: meetingID) RETURNING \(unsafeRaw: column)
                """
            ).first()?.decode(column: column, as: Int.self)
        else { throw ConcordError.notFound("meeting") }
        return number
    }

    /// Seconds a motion that has no seconder yet: another present voting member.
    static func second(_ reference: String?, by slug: String, caller: Caller) async throws -> Motion {
        try Meetings.requireParticipant(caller)
        let motion = try await find(reference, on: caller.db)
        let rules = try await MeetingRoll.rules(for: motion.meeting, db: caller.db)
        let team = try await presentVotingTeam(
            slug, field: "team", meeting: motion.meeting, rules: rules, db: caller.db)
        let teamID = try team.requireID()
        guard caller.policy.allows(.runMeetings) || caller.policy.allows(.actForTeamInMeeting(team: teamID)) else {
            throw ConcordError.forbidden
        }
        guard teamID != motion.$mover.id else { throw ConcordError.invalid(field: "team", "the mover cannot second") }
        try await caller.db.writeTransaction { db in
            guard let sql = db as? any SQLDatabase else { throw ConcordError(.unavailable, "no SQL database") }
            let rows = try await sql.raw(
                """
                UPDATE motions SET seconder_team_id = \(bind: teamID)
                WHERE id = \(bind: motion.requireID()) AND seconder_team_id IS NULL AND state = 'proposed' RETURNING id
                """
            ).all()
            guard !rows.isEmpty else { throw ConcordError(.conflict, "\(motion.reference) is seconded already") }
            try await AuditLog.record(
                "governance.motion.second", targetType: "motion", targetID: motion.reference,
                summary: "\(team.shortName) seconded \(motion.reference)", caller: caller, on: db)
        }
        return try await find(reference, on: caller.db)
    }

    /// Opens the vote: the meeting open, the motion seconded, its amendments decided, no other
    /// vote open, and the quorum met, whose check the motion keeps.
    static func openVote(_ reference: String?, caller: Caller) async throws -> Motion {
        try caller.policy.require(.runMeetings)
        let motion = try await find(reference, on: caller.db)
        let meeting = motion.meeting
        guard meeting.state == .open else { throw ConcordError(.conflict, "\(meeting.reference) is not open") }
        guard motion.$seconder.id != nil else {
            throw ConcordError(.conflict, "\(motion.reference) has no seconder: no vote opens on it")
        }
        let pending = try await Motion.query(on: caller.db).filter(\.$amends.$id == motion.requireID())
            .filter(\.$state ~~ [.proposed, .voting, .awaitingCastingVote]).all()
        if let first = pending.first {
            throw ConcordError(.conflict, "the amendment \(first.reference) is voted before \(motion.reference)")
        }
        let (roll, quorum) = try await MeetingRoll.roll(of: meeting, db: caller.db)
        let rollText = String(decoding: try JSONEncoder().encode(roll), as: UTF8.self)
        guard quorum.isMet else {
            throw ConcordError(.conflict, "no vote opens below quorum: \(quorum)")
        }
        let now = caller.clock.now()
        try await caller.db.writeTransaction { db in
            guard let sql = db as? any SQLDatabase else { throw ConcordError(.unavailable, "no SQL database") }
            let opened = try await sql.raw(
                """
                UPDATE motions SET state = 'voting', opened_at = \(bind: now),
                    present_at_opening = \(bind: quorum.present), voting_members_at_opening = \(bind: quorum.votingMembers),
                    quorum_at_opening = \(bind: quorum.required), roll = \(bind: rollText)
                WHERE id = \(bind: motion.requireID()) AND state = 'proposed'
                    AND NOT EXISTS (SELECT 1 FROM motions other WHERE other.meeting_id = \(bind: meeting.requireID())
                        AND other.state = 'voting')
                RETURNING id
                """
            ).all()
            guard !opened.isEmpty else {
                throw ConcordError(.conflict, "\(motion.reference) is not waiting for a vote, or another vote is open")
            }
            try await AuditLog.record(
                "governance.motion.open", targetType: "motion", targetID: motion.reference,
                summary: "opened the vote on \(motion.reference): \(quorum)", caller: caller, on: db)
        }
        return try await find(reference, on: caller.db)
    }
}
