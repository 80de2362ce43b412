/// The named votes on one question: each voting team yes, no or abstain once.
public struct VoteCount: Codable, Equatable, Hashable, Sendable {
    public var yes: Int
    public var no: Int
    public var abstain: Int

    public init(yes: Int = 0, no: Int = 0, abstain: Int = 0) {
        self.yes = yes
        self.no = no
        self.abstain = abstain
    }

    /// Yes and no: the votes cast, abstentions left out.
    public var cast: Int { yes + no }
    /// Everyone who answered, abstentions included.
    public var answered: Int { yes + no + abstain }
}

/// What happens when yes and no are equal and the majority is not otherwise met.
public enum TieRule: String, Codable, Sendable, CaseIterable {
    /// The motion fails.
    case fails
    /// The chair gives a casting vote.
    case chairDecides = "chair-decides"
}

/// The result of a question.
public enum MotionOutcome: String, Codable, Sendable {
    case carried, failed
    /// Tied under a rule that lets the chair decide, and the chair has not yet.
    case awaitingCastingVote = "awaiting-casting-vote"
}

/// Why a count cannot be judged: it does not fit the roll it was taken on.
public enum VoteCountRefusal: Error, Equatable, Sendable, CustomStringConvertible {
    case negative
    case moreAnswersThanPresent(answered: Int, present: Int)
    case morePresentThanVoting(present: Int, voting: Int)

    public var description: String {
        switch self {
        case .negative: return "a count is negative"
        case .moreAnswersThanPresent(let answered, let present):
            return "\(answered) votes answered but only \(present) voting members present or represented"
        case .morePresentThanVoting(let present, let voting):
            return "\(present) present or represented but only \(voting) voting members"
        }
    }
}

/// A question judged by its majority: the base it was counted on, the yes votes it needed and
/// the outcome, so that the record says why a motion carried or failed.
public struct MotionJudgement: Codable, Equatable, Sendable {
    public let count: VoteCount
    public let majority: Majority
    /// The number the majority was taken of (votes cast, present, or all voting members).
    public let base: Int
    /// The yes votes the majority needed.
    public let required: Int
    public let tied: Bool
    /// The chair's casting vote, when a tie was decided by it.
    public let castingVote: Bool?
    public let outcome: MotionOutcome

    /// Judges `count` taken with `present` voting members present or represented out of
    /// `votingMembers`. A tie (yes = no, the majority unmet, one more yes would meet it) fails, or
    /// waits for the chair's `castingVote` when the rule says the chair decides.
    public init(
        count: VoteCount, majority: Majority, present: Int, votingMembers: Int,
        tieRule: TieRule, castingVote: Bool? = nil
    ) throws(VoteCountRefusal) {
        guard count.yes >= 0, count.no >= 0, count.abstain >= 0, present >= 0, votingMembers >= 0 else {
            throw .negative
        }
        guard present <= votingMembers else {
            throw .morePresentThanVoting(present: present, voting: votingMembers)
        }
        guard count.answered <= present else {
            throw .moreAnswersThanPresent(answered: count.answered, present: present)
        }
        self.count = count
        self.majority = majority
        switch majority.base {
        case .votesCast: base = count.cast
        case .membersPresent: base = present
        case .allVotingMembers: base = votingMembers
        }
        required = majority.threshold.minimum(of: base)
        let met = count.yes >= required
        // A tie the chair can decide: yes = no, and one more yes (the casting vote) would meet the
        // majority; under two thirds a casting vote cannot carry a motion, so it is simply lost.
        let baseWithCastingVote = majority.base == .votesCast ? base + 1 : base
        tied =
            !met && count.yes == count.no && count.yes > 0
            && count.yes + 1 >= majority.threshold.minimum(of: baseWithCastingVote)
        if met {
            outcome = .carried
            self.castingVote = nil
        } else if tied && tieRule == .chairDecides {
            self.castingVote = castingVote
            switch castingVote {
            case .some(true): outcome = .carried
            case .some(false): outcome = .failed
            case .none: outcome = .awaitingCastingVote
            }
        } else {
            outcome = .failed
            self.castingVote = nil
        }
    }
}
