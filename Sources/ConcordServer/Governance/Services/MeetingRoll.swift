import ConcordCore
import Fluent
import Foundation

/// Who may do what at a meeting, from the directory and the constitution in force on the meeting's
/// day: the roll of voting members, and the rights of one team.
enum MeetingRoll {
    /// The meeting's day in its own time zone (rights and the constitution are judged on it).
    static func day(of meeting: GeneralMeeting) -> CivilDate {
        let zone = TimeZone(identifier: meeting.timeZone) ?? .gmt
        let offset = zone.secondsFromGMT(for: meeting.startsAt)
        return CivilDate(second: Int64(meeting.startsAt.timeIntervalSince1970) + Int64(offset))
    }

    /// The team's standing in the forum.
    static func standing(of team: Team) -> MemberStanding {
        MemberStanding(
            isActive: team.status == .active, category: team.category.slug,
            admittedOn: team.joinedOn.flatMap(CivilDate.init))
    }

    /// The rights `team` (its category loaded) holds on `day` under `rules`.
    static func rights(of team: Team, on day: CivilDate, under rules: Constitution) -> Set<MemberRight> {
        rules.rights(of: standing(of: team), on: day)
    }

    /// Every team holding the right to vote on `day`.
    static func votingMembers(on day: CivilDate, under rules: Constitution, db: any Database) async throws -> [Team] {
        try await Team.query(on: db).filter(\.$status == .active).with(\.$category).all()
            .filter { rights(of: $0, on: day, under: rules).contains(.vote) }
    }

    /// The constitution in force on the meeting's day; 409 when there is none.
    static func rules(for meeting: GeneralMeeting, db: any Database) async throws -> Constitution {
        guard let adopted = try await Constitutions.inForce(on: day(of: meeting), db: db) else {
            throw ConcordError(
                .conflict, "no constitution is in force on the meeting's day: adopt the founding rules first")
        }
        return adopted.rules
    }

    /// The quorum check now: voting members present (in person or online) or represented by proxy.
    static func quorum(of meeting: GeneralMeeting, db: any Database) async throws -> QuorumCheck {
        try await roll(of: meeting, db: db).check
    }

    /// The voting members present or represented now, and the quorum check they make.
    static func roll(of meeting: GeneralMeeting, db: any Database) async throws -> (present: [UUID], check: QuorumCheck)
    {
        let rules = try await rules(for: meeting, db: db)
        let voting = try await votingMembers(on: day(of: meeting), under: rules, db: db)
        let votingIDs = Set(voting.compactMap(\.id))
        let attending = try await MeetingAttendance.query(on: db).filter(\.$meeting.$id == meeting.requireID()).all()
        let present = attending.map(\.$team.id).filter { votingIDs.contains($0) }.sorted {
            $0.uuidString < $1.uuidString
        }
        return (
            present, QuorumCheck(present: present.count, votingMembers: voting.count, rule: rules.generalMeeting.quorum)
        )
    }
}
