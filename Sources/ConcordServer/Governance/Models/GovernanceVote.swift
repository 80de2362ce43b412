import ConcordCore
import Fluent
import Foundation

/// A vote between meetings: proposed by the secretariat, discussed, then voted by the web, the API
/// or a signed reply mail, each voting member once, and judged at its close by the majority its
/// kind needs and the quorum of participation, under the constitution in force when it opened.
/// The scheduler opens it, reminds and closes it (`GovernanceVoteScheduler`).
// @unchecked Sendable: see Economy.
final class GovernanceVote: Model, @unchecked Sendable {
    static let schema = "governance_votes"

    @ID(key: .id) var id: UUID?
    /// `VOTE-2027-1`.
    @Field(key: "reference") var reference: String
    @Field(key: "kind") var kind: DecisionKind
    @Field(key: "title") var title: String
    @Field(key: "text") var text: String
    /// The IANA time zone its periods are counted in (calendar days).
    @Field(key: "time_zone") var timeZone: String
    @Field(key: "state") var state: GovernanceVoteState
    @Field(key: "proposed_at") var proposedAt: Date
    @Field(key: "proposed_by") var proposedBy: String
    @Field(key: "opens_at") var opensAt: Date
    @Field(key: "closes_at") var closesAt: Date
    @OptionalField(key: "opened_at") var openedAt: Date?
    @OptionalField(key: "closed_at") var closedAt: Date?
    /// The voting members when it opened (team ids as a JSON array): they, and no one else, vote.
    @OptionalField(key: "roll") var roll: String?
    /// SHA-256 of the roll's team slugs, sorted, one a line (`VoteRoll.digest`).
    @OptionalField(key: "roll_sha256") var rollSHA256: String?
    /// The participation quorum's check at the close (`QuorumCheck` as JSON).
    @OptionalField(key: "quorum") var quorum: String?
    /// The judgement at the close (`MotionJudgement` as JSON).
    @OptionalField(key: "judgement") var judgement: String?
    /// `VOTE-2027-R1` when carried.
    @OptionalField(key: "resolution") var resolution: String?

    init() {}

    var rollIDs: [UUID] {
        (roll.flatMap { try? JSONDecoder().decode([UUID].self, from: Data($0.utf8)) }) ?? []
    }

    var judged: MotionJudgement? {
        judgement.flatMap { try? JSONDecoder().decode(MotionJudgement.self, from: Data($0.utf8)) }
    }

    var quorumCheck: QuorumCheck? {
        quorum.flatMap { try? JSONDecoder().decode(QuorumCheck.self, from: Data($0.utf8)) }
    }

    var period: VotingPeriod { VotingPeriod(opensAt: opensAt, closesAt: closesAt) }
}

/// Where a vote between meetings stands.
enum GovernanceVoteState: String, Codable, Sendable, CaseIterable {
    case discussion, voting, carried, failed, withdrawn
    /// Tied, and the constitution lets the chair decide.
    case awaitingCastingVote = "awaiting-casting-vote"

    var isOver: Bool { self == .carried || self == .failed || self == .withdrawn }
}

/// One voting member's ballot in a vote between meetings (named: the record shows who voted how).
// @unchecked Sendable: see Economy.
final class GovernanceBallot: Model, @unchecked Sendable {
    static let schema = "governance_ballots"

    @ID(key: .id) var id: UUID?
    @Parent(key: "vote_id") var vote: GovernanceVote
    @Parent(key: "team_id") var team: Team
    @Field(key: "choice") var choice: VoteChoice
    @Field(key: "channel") var channel: BallotChannel
    /// Came as a reply mail signed with the team's key.
    @Field(key: "signed") var signed: Bool
    @Field(key: "cast_by") var castBy: String
    @Field(key: "cast_at") var castAt: Date

    init() {}
}

/// How a ballot came.
enum BallotChannel: String, Codable, Sendable, CaseIterable {
    case web, api, mail
}
