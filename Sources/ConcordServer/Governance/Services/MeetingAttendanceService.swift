import ConcordCore
import Fluent
import Foundation

/// Attendance at a general meeting: a team checks in (in person or online: its representative, or
/// the secretariat at the door); a voting member that cannot come gives its proxy to a present
/// voting member, who holds at most the constitution's number (slots kept by a unique key).
enum MeetingAttendanceService {
    /// Checks `teamSlug` in. Partners (no attendance right) and suspended teams are refused; a
    /// team checks in once (409 after, decided by the unique key).
    static func checkIn(
        _ reference: String?, team teamSlug: String, mode: AttendanceMode, caller: Caller
    ) async throws -> MeetingAttendance {
        try Meetings.requireParticipant(caller)
        let meeting = try await Meetings.find(reference, on: caller.db)
        let team = try await loadTeam(teamSlug, db: caller.db)
        let teamID = try team.requireID()
        guard caller.policy.allows(.runMeetings) || caller.policy.allows(.actForTeamInMeeting(team: teamID)) else {
            throw ConcordError.forbidden
        }
        guard mode != .proxy else {
            throw ConcordError.invalid(field: "mode", "must be in-person or online (a proxy is given, not checked in)")
        }
        guard meeting.state != .closed else { throw ConcordError(.conflict, "\(meeting.reference) is closed") }
        let rules = try await MeetingRoll.rules(for: meeting, db: caller.db)
        let rights = MeetingRoll.rights(of: team, on: MeetingRoll.day(of: meeting), under: rules)
        guard rights.contains(.attendClosedSessions) || rights.contains(.vote) else {
            throw ConcordError(
                .conflict,
                "\(team.shortName) holds no right to attend the general meeting (\(team.category.slug), \(team.status))"
            )
        }
        let row = MeetingAttendance()
        row.$meeting.id = try meeting.requireID()
        row.$team.id = teamID
        row.mode = mode
        row.checkedInAt = caller.clock.now()
        row.checkedInBy = caller.actor.name
        do {
            try await caller.db.writeTransaction { db in
                try await row.create(on: db)
                try await AuditLog.record(
                    "governance.meeting.check-in", targetType: "meeting", targetID: meeting.reference,
                    summary: "\(team.shortName) checked in (\(mode.rawValue))", caller: caller, on: db)
            }
        } catch let error as any DatabaseError where error.isConstraintFailure {
            throw ConcordError(.conflict, "\(team.shortName) is present or represented at \(meeting.reference) already")
        }
        return row
    }

    /// `giverSlug` gives its proxy to `holderSlug`: both voting members, the holder present in
    /// person or online, the giver neither present nor represented. The proxy takes the holder's
    /// first free slot; when every slot is taken the holder holds the most the constitution allows.
    static func giveProxy(
        _ reference: String?, giver giverSlug: String, holder holderSlug: String, caller: Caller
    ) async throws -> MeetingAttendance {
        try Meetings.requireParticipant(caller)
        let meeting = try await Meetings.find(reference, on: caller.db)
        let giver = try await loadTeam(giverSlug, db: caller.db)
        let holder = try await loadTeam(holderSlug, db: caller.db)
        let giverID = try giver.requireID()
        let holderID = try holder.requireID()
        guard caller.policy.allows(.runMeetings) || caller.policy.allows(.actForTeamInMeeting(team: giverID)) else {
            throw ConcordError.forbidden
        }
        guard meeting.state != .closed else { throw ConcordError(.conflict, "\(meeting.reference) is closed") }
        guard giverID != holderID else {
            throw ConcordError.invalid(field: "holder", "a team cannot hold its own proxy")
        }
        let rules = try await MeetingRoll.rules(for: meeting, db: caller.db)
        let day = MeetingRoll.day(of: meeting)
        for (team, role) in [(giver, "giver"), (holder, "holder")]
        where !MeetingRoll.rights(of: team, on: day, under: rules).contains(.vote) {
            throw ConcordError.invalid(field: role, "\(team.shortName) holds no vote at \(meeting.reference)")
        }
        let meetingID = try meeting.requireID()
        let holderAttends = try await MeetingAttendance.query(on: caller.db).filter(\.$meeting.$id == meetingID)
            .filter(\.$team.$id == holderID).first()
        guard let holderAttends, holderAttends.mode != .proxy else {
            throw ConcordError(
                .conflict, "\(holder.shortName) is not present at \(meeting.reference): it cannot hold a proxy")
        }
        let maximum = rules.generalMeeting.maxProxiesPerMember
        for slot in stride(from: 1, through: maximum, by: 1) {
            let row = MeetingAttendance()
            row.$meeting.id = meetingID
            row.$team.id = giverID
            row.mode = .proxy
            row.$proxyHolder.id = holderID
            row.proxySlot = slot
            row.checkedInAt = caller.clock.now()
            row.checkedInBy = caller.actor.name
            do {
                try await caller.db.writeTransaction { db in
                    try await row.create(on: db)
                    try await AuditLog.record(
                        "governance.meeting.proxy", targetType: "meeting", targetID: meeting.reference,
                        summary: "\(giver.shortName) represented by \(holder.shortName)", caller: caller, on: db)
                }
                return row
            } catch let error as any DatabaseError where error.isConstraintFailure {
                let already = try await MeetingAttendance.query(on: caller.db).filter(\.$meeting.$id == meetingID)
                    .filter(\.$team.$id == giverID).count()
                if already > 0 {
                    throw ConcordError(
                        .conflict, "\(giver.shortName) is present or represented at \(meeting.reference) already")
                }
            }
        }
        throw ConcordError(
            .conflict, "\(holder.shortName) holds \(maximum) proxies already, the most the constitution allows")
    }

    static func loadTeam(_ slug: String, db: any Database) async throws -> Team {
        guard let team = try await Team.query(on: db).filter(\.$slug == slug).with(\.$category).first() else {
            throw ConcordError.notFound("team")
        }
        return team
    }
}
