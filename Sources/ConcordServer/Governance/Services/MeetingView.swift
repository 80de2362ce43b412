import ConcordCore
import Fluent
import Foundation

/// A meeting as the API, the page and the command line show it, read through the policy: every
/// member reads a meeting; a vote's named choices appear once it has closed.
enum MeetingView {
    static func make(_ reference: String?, caller: Caller) async throws -> MeetingDTO {
        try caller.policy.require(.readGovernance)
        let meeting = try await Meetings.find(reference, on: caller.db)
        let meetingID = try meeting.requireID()
        let teams = try await Team.query(on: caller.db).with(\.$category).all()
        let byID = Dictionary(uniqueKeysWithValues: teams.compactMap { team in team.id.map { ($0, team) } })
        let rules = try await MeetingRoll.rules(for: meeting, db: caller.db)
        let day = MeetingRoll.day(of: meeting)
        let attendance = try await MeetingAttendance.query(on: caller.db).filter(\.$meeting.$id == meetingID)
            .sort(\.$checkedInAt).all()
        let motions = try await Motion.query(on: caller.db).filter(\.$meeting.$id == meetingID).sort(\.$proposedAt)
            .all()
        let motionIDs = motions.compactMap(\.id)
        let votes =
            motionIDs.isEmpty ? [] : try await MotionVote.query(on: caller.db).filter(\.$motion.$id ~~ motionIDs).all()
        let references = Dictionary(
            uniqueKeysWithValues: motions.compactMap { motion in motion.id.map { ($0, motion.reference) } })
        return MeetingDTO(
            reference: meeting.reference, kind: meeting.kind.rawValue, title: meeting.title, startsAt: meeting.startsAt,
            timeZone: meeting.timeZone, localStart: localStart(meeting), location: meeting.location,
            state: meeting.state.rawValue, agenda: meeting.agendaItems.map(\.title), convenedAt: meeting.convenedAt,
            openedAt: meeting.openedAt, closedAt: meeting.closedAt,
            quorum: MeetingDTO.Quorum(try await MeetingRoll.quorum(of: meeting, db: caller.db)),
            attendance: attendance.compactMap { row in
                guard let team = byID[row.$team.id] else { return nil }
                return MeetingDTO.Attendance(
                    team: team.slug, teamName: team.shortName, mode: row.mode.rawValue,
                    proxyHolder: row.$proxyHolder.id.flatMap { byID[$0]?.slug },
                    votes: MeetingRoll.rights(of: team, on: day, under: rules).contains(.vote),
                    checkedInAt: row.checkedInAt)
            },
            motions: motions.map { motion in
                motionDTO(
                    motion, votes: votes.filter { $0.$motion.id == motion.id }, teams: byID, references: references,
                    majority: rules.majority(for: motion.kind, atMeeting: true))
            })
    }

    static func motionDTO(
        _ motion: Motion, votes: [MotionVote], teams: [UUID: Team], references: [UUID: String], majority: Majority
    ) -> MotionDTO {
        let judged = motion.judged
        let closed = motion.state != .proposed && motion.state != .voting
        let quorum = motion.presentAtOpening.map { present in
            "\(present) of \(motion.votingMembersAtOpening ?? 0) voting members present or represented; "
                + "quorum \(motion.quorumAtOpening ?? 0)"
        }
        return MotionDTO(
            reference: motion.reference, kind: motion.kind.rawValue, title: motion.title, text: motion.text,
            mover: teams[motion.$mover.id]?.slug ?? "", seconder: motion.$seconder.id.flatMap { teams[$0]?.slug },
            amends: motion.$amends.id.flatMap { references[$0] }, state: motion.state.rawValue,
            openedAt: motion.openedAt, closedAt: motion.closedAt, quorumAtOpening: quorum, votesCast: votes.count,
            yes: judged?.count.yes, no: judged?.count.no, abstain: judged?.count.abstain, required: judged?.required,
            majority: (judged?.majority ?? majority).description, castingVote: judged?.castingVote,
            resolution: motion.resolution,
            votes: closed
                ? votes.compactMap { vote in
                    guard let team = teams[vote.$team.id] else { return nil }
                    return MotionDTO.NamedVote(
                        team: team.slug, teamName: team.shortName, choice: vote.choice.rawValue,
                        byProxy: vote.$castByProxy.id.flatMap { teams[$0]?.slug })
                }.sorted { $0.teamName < $1.teamName } : [])
    }

    /// "2027-03-23 09:00 (Asia/Seoul, UTC+09:00)".
    static func localStart(_ meeting: GeneralMeeting) -> String {
        let zone = TimeZone(identifier: meeting.timeZone) ?? .gmt
        let offset = zone.secondsFromGMT(for: meeting.startsAt)
        let local = Int64(meeting.startsAt.timeIntervalSince1970) + Int64(offset)
        let day = CivilDate(second: local)
        let minutes = Int((local - day.startSecond) / 60)
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let sign = offset < 0 ? "-" : "+"
        let hours = abs(offset) / 3600
        let rest = abs(offset) % 3600 / 60
        return
            "\(day) \(two(minutes / 60)):\(two(minutes % 60)) (\(zone.identifier), UTC\(sign)\(two(hours)):\(two(rest)))"
    }
}
