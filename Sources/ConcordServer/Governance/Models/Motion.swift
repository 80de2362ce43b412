import ConcordCore
import Fluent
import Foundation

/// A motion at a general meeting: moved and seconded, amended (an amendment is a motion of its own
/// that carries the motion's whole new text, voted before it), voted by name, and judged by the
/// majority its kind needs; a carried motion becomes a numbered resolution.
// @unchecked Sendable: see Economy.
final class Motion: Model, @unchecked Sendable {
    static let schema = "motions"

    @ID(key: .id) var id: UUID?
    @Parent(key: "meeting_id") var meeting: GeneralMeeting
    /// `AGM-2027-M2`.
    @Field(key: "reference") var reference: String
    @Field(key: "kind") var kind: DecisionKind
    @Field(key: "title") var title: String
    @Field(key: "text") var text: String
    @Parent(key: "mover_team_id") var mover: Team
    @OptionalParent(key: "seconder_team_id") var seconder: Team?
    /// The motion this amends.
    @OptionalParent(key: "amends_id") var amends: Motion?
    @Field(key: "state") var state: MotionState
    @Field(key: "proposed_at") var proposedAt: Date
    @OptionalField(key: "opened_at") var openedAt: Date?
    @OptionalField(key: "closed_at") var closedAt: Date?
    /// The quorum check the vote opened with.
    @OptionalField(key: "present_at_opening") var presentAtOpening: Int?
    @OptionalField(key: "voting_members_at_opening") var votingMembersAtOpening: Int?
    @OptionalField(key: "quorum_at_opening") var quorumAtOpening: Int?
    /// The voting members present or represented when the vote opened (team ids as a JSON array):
    /// they, and no one else, vote on it.
    @OptionalField(key: "roll") var roll: String?
    /// The judgement at the close (`MotionJudgement` as JSON).
    @OptionalField(key: "judgement") var judgement: String?
    /// `AGM-2027-R3` when carried (amendments are not resolutions).
    @OptionalField(key: "resolution") var resolution: String?

    init() {}

    var rollIDs: Set<UUID> {
        Set((roll.flatMap { try? JSONDecoder().decode([UUID].self, from: Data($0.utf8)) }) ?? [])
    }

    var judged: MotionJudgement? {
        judgement.flatMap { try? JSONDecoder().decode(MotionJudgement.self, from: Data($0.utf8)) }
    }
}

/// Where a motion stands.
enum MotionState: String, Codable, Sendable, CaseIterable {
    case proposed, voting, carried, failed, withdrawn
    /// Tied, and the constitution lets the chair decide.
    case awaitingCastingVote = "awaiting-casting-vote"
}

/// One team's named vote on a motion, cast by its representative or by the holder of its proxy.
// @unchecked Sendable: see Economy.
final class MotionVote: Model, @unchecked Sendable {
    static let schema = "motion_votes"

    @ID(key: .id) var id: UUID?
    @Parent(key: "motion_id") var motion: Motion
    @Parent(key: "team_id") var team: Team
    @Field(key: "choice") var choice: VoteChoice
    /// The proxy holder who cast it, when cast by proxy.
    @OptionalParent(key: "proxy_team_id") var castByProxy: Team?
    @Field(key: "cast_by") var castBy: String
    @Field(key: "cast_at") var castAt: Date

    init() {}
}
