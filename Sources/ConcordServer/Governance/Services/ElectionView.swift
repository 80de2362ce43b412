import ConcordCore
import Fluent
import Foundation

/// An election as the API, the page and the command line show it: who voted, never how; the
/// result and the board's head once closed.
enum ElectionView {
    static func make(_ reference: String?, caller: Caller) async throws -> ElectionDTO {
        try caller.policy.require(.readGovernance)
        let election = try await Elections.find(reference, on: caller.db)
        let candidates = try await Elections.candidates(of: election, db: caller.db)
        let voted = try await ElectionParticipation.query(on: caller.db)
            .filter(\.$election.$id == election.requireID()).with(\.$team).all().map(\.team)
        let rollTeams =
            election.roll == nil ? [] : try await Team.query(on: caller.db).filter(\.$id ~~ election.rollIDs).all()
        let now = caller.clock.now()
        var own: ElectionDTO.OwnTeam?
        if let ownID = caller.principal?.teamID, let team = try await Team.find(ownID, on: caller.db) {
            let acts = caller.policy.allows(.actForTeamInMeeting(team: ownID))
            let votedIDs = Set(voted.compactMap(\.id))
            let held = try await MeetingAttendance.query(on: caller.db)
                .filter(\.$meeting.$id == election.$meeting.id).filter(\.$proxyHolder.$id == ownID).with(\.$team).all()
                .map(\.team).filter { election.rollIDs.contains($0.id ?? UUID()) }
            let onRoll = election.rollIDs.contains(ownID)
            own = ElectionDTO.OwnTeam(
                team: team.slug, onRoll: onRoll, voted: votedIDs.contains(ownID),
                mayVote: acts && onRoll && !votedIDs.contains(ownID) && election.state == .voting,
                proxies: held.filter { !votedIDs.contains($0.id ?? UUID()) }.map(\.slug).sorted(),
                mayNominate: (acts || caller.policy.allows(.runMeetings)) && election.state == .nominating
                    && now < election.nominationsCloseAt)
        }
        let board = election.publishedBoard
        return ElectionDTO(
            reference: election.reference, meeting: election.meeting.reference, meetingTitle: election.meeting.title,
            office: election.office, officeName: Offices.name(election.office, seatClass: election.seatClass),
            seatClass: election.seatClass, seats: election.seats, method: election.method.rawValue,
            title: election.title, state: election.state.rawValue, nominationsCloseAt: election.nominationsCloseAt,
            termStartsOn: election.termStartsOn, termEndsOn: election.termEndsOn, calledAt: election.calledAt,
            openedAt: election.openedAt, closedAt: election.closedAt,
            candidates: candidates.map { candidate in
                ElectionDTO.Candidate(
                    team: candidate.team.slug, teamName: candidate.team.shortName, holder: candidate.holder,
                    statement: candidate.statement, nominatedBy: candidate.nominatedBy.slug,
                    secondedBy: candidate.secondedBy?.slug, standing: candidate.isStanding,
                    withdrawn: candidate.withdrawnAt != nil)
            },
            lot: election.lot == nil ? nil : election.lotOrder,
            roll: election.roll == nil ? nil : rollTeams.map(\.slug).sorted(),
            rollSHA256: election.rollSHA256, presentAtOpening: election.presentAtOpening,
            votingMembersAtOpening: election.votingMembersAtOpening, voted: voted.map(\.slug).sorted(),
            result: board?.result, boardHead: board?.head, ownTeam: own)
    }
}
