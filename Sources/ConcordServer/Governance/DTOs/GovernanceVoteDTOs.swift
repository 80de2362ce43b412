import ConcordCore
import Foundation
import Vapor

/// A vote between meetings in the list.
public struct GovernanceVoteSummaryDTO: Content, Equatable {
    public let reference: String
    public let kind: String
    public let title: String
    public let state: String
    public let opensAt: Date
    public let closesAt: Date
    public let resolution: String?

    init(_ vote: GovernanceVote) {
        reference = vote.reference
        kind = vote.kind.rawValue
        title = vote.title
        state = vote.state.rawValue
        opensAt = vote.opensAt
        closesAt = vote.closesAt
        resolution = vote.resolution
    }
}

/// A vote between meetings whole: its text and periods, the roll and its SHA-256, who voted (how,
/// once it has closed), the participation quorum, the judgement and the resolution.
public struct GovernanceVoteDTO: Content, Equatable {
    /// One team's ballot. Its choice is shown once the vote has closed (and to the team itself);
    /// while it is open the record shows who has voted, never how.
    public struct Ballot: Content, Equatable {
        public let team: String
        public let teamName: String
        public let choice: String?
        public let channel: String
        public let signed: Bool
        public let castAt: Date
    }

    /// The participation quorum as the close checked it.
    public struct Participation: Content, Equatable {
        public let voted: Int
        public let votingMembers: Int
        public let required: Int
        public let met: Bool
        /// "12 of 19 voting members voted; quorum 10 (at least 1/2): met".
        public let text: String

        init(_ check: QuorumCheck) {
            voted = check.present
            votingMembers = check.votingMembers
            required = check.required
            met = check.isMet
            text =
                "\(check.present) of \(check.votingMembers) voting members voted; quorum \(check.required) (\(check.rule)): "
                + (check.isMet ? "met" : "not met")
        }
    }

    /// The caller's own team in this vote.
    public struct OwnTeam: Content, Equatable {
        public let team: String
        public let onRoll: Bool
        public let voted: Bool
        public let choice: String?
        /// Whether the caller may cast the team's ballot now.
        public let mayVote: Bool
    }

    public let reference: String
    public let kind: String
    public let title: String
    public let text: String
    public let state: String
    public let timeZone: String
    public let proposedAt: Date
    public let proposedBy: String
    public let opensAt: Date
    public let closesAt: Date
    /// The periods in the vote's own zone: "2027-01-27 09:00 Asia/Tokyo (00:00 UTC)".
    public let localOpens: String
    public let localCloses: String
    public let openedAt: Date?
    public let closedAt: Date?
    /// The majority its kind needs between meetings, and the participation quorum, in words.
    public let majority: String
    public let quorumRule: String
    /// The voting members' slugs when it opened, sorted, and the SHA-256 of them one a line.
    public let roll: [String]?
    public let rollSHA256: String?
    public let ballots: [Ballot]
    public let count: VoteCount?
    public let participation: Participation?
    public let judgement: MotionJudgement?
    public let resolution: String?
    /// The line a signed reply carries.
    public let ballotLine: String
    public let ownTeam: OwnTeam?
}

/// What the mailbox gets back for a counted reply: the ballot and the receipt mailed to the sender.
public struct VoteReplyReceiptDTO: Content, Equatable {
    public let vote: String
    public let team: String
    public let choice: String
    public let receipt: String
}
