import ConcordCore
import Fluent
import Foundation

/// A vote between meetings as the API, the page and the command line show it; choices stay hidden
/// until the close, but for the caller's own team's.
enum GovernanceVoteView {
    static func make(_ reference: String?, caller: Caller) async throws -> GovernanceVoteDTO {
        try caller.policy.require(.readGovernance)
        let vote = try await GovernanceVotes.find(reference, on: caller.db)
        let rules = try await GovernanceVotes.rules(of: vote, db: caller.db)
        let ballots = try await GovernanceBallot.query(on: caller.db).filter(\.$vote.$id == vote.requireID())
            .sort(\.$castAt).all()
        let teamIDs = Set(vote.rollIDs + ballots.map(\.$team.id) + [caller.principal?.teamID].compactMap { $0 })
        let teams = try await Team.query(on: caller.db).filter(\.$id ~~ Array(teamIDs)).all()
        let byID = Dictionary(uniqueKeysWithValues: teams.compactMap { team in team.id.map { ($0, team) } })
        let over = vote.state.isOver || vote.state == .awaitingCastingVote
        let ownID = caller.principal?.teamID
        let dtoBallots = ballots.compactMap { ballot -> GovernanceVoteDTO.Ballot? in
            guard let team = byID[ballot.$team.id] else { return nil }
            return GovernanceVoteDTO.Ballot(
                team: team.slug, teamName: team.shortName,
                choice: over || ballot.$team.id == ownID ? ballot.choice.rawValue : nil,
                channel: ballot.channel.rawValue,
                signed: ballot.signed, castAt: ballot.castAt)
        }
        var own: GovernanceVoteDTO.OwnTeam?
        if let ownID, let team = byID[ownID] {
            let onRoll = vote.rollIDs.contains(ownID)
            let mine = ballots.first { $0.$team.id == ownID }
            own = GovernanceVoteDTO.OwnTeam(
                team: team.slug, onRoll: onRoll, voted: mine != nil, choice: mine?.choice.rawValue,
                mayVote: onRoll && mine == nil && vote.state == .voting && caller.clock.now() < vote.closesAt
                    && caller.policy.allows(.actForTeamInMeeting(team: ownID)))
        }
        let roll = vote.roll == nil ? nil : vote.rollIDs.compactMap { byID[$0]?.slug }.sorted()
        return GovernanceVoteDTO(
            reference: vote.reference, kind: vote.kind.rawValue, title: vote.title, text: vote.text,
            state: vote.state.rawValue, timeZone: vote.timeZone, proposedAt: vote.proposedAt,
            proposedBy: vote.proposedBy, opensAt: vote.opensAt, closesAt: vote.closesAt,
            localOpens: GovernanceVoteMail.instant(vote.opensAt, zone: vote.timeZone),
            localCloses: GovernanceVoteMail.instant(vote.closesAt, zone: vote.timeZone), openedAt: vote.openedAt,
            closedAt: vote.closedAt, majority: rules.majority(for: vote.kind, atMeeting: false).description,
            quorumRule: "\(rules.generalMeeting.quorum) of the voting members take part (abstentions count)",
            roll: roll, rollSHA256: vote.rollSHA256, ballots: dtoBallots, count: vote.judged?.count,
            participation: vote.quorumCheck.map(GovernanceVoteDTO.Participation.init), judgement: vote.judged,
            resolution: vote.resolution, ballotLine: GovernanceVoteMail.ballotLine(vote), ownTeam: own)
    }
}
