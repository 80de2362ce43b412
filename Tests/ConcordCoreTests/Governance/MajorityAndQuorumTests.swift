import ConcordCore
import Testing

/// Majorities and quorums are judged in integers, with their base named: the smallest count that
/// meets a rule is exactly the one the rule's words give, and no count that misses it carries.
@Suite struct MajorityAndQuorumTests {
    @Test func theSmallestCountMeetingEachRule() {
        #expect(Threshold.moreThanHalf.minimum(of: 19) == 10)
        #expect(Threshold.moreThanHalf.minimum(of: 20) == 11)
        #expect(Threshold.atLeastHalf.minimum(of: 19) == 10)
        #expect(Threshold.atLeastHalf.minimum(of: 20) == 10)
        #expect(Threshold.twoThirds.minimum(of: 9) == 6)
        #expect(Threshold.twoThirds.minimum(of: 10) == 7)
        #expect(Threshold.moreThanHalf.minimum(of: 0) == 1, "nothing out of nothing never carries")
        #expect(
            Threshold(1, 1, .moreThan) == nil && Threshold(0, 2, .atLeast) == nil && Threshold(3, 2, .atLeast) == nil)
    }

    @Test(arguments: 1...20 as ClosedRange<UInt64>)
    func theMinimumIsTheFirstCountThatPassesTheShare(seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        for _ in 0..<200 {
            let denominator = Int(rng.next() % 9) + 1
            let numerator = Int(rng.next() % UInt64(denominator)) + 1
            let comparison: Threshold.Comparison = rng.next() % 2 == 0 ? .moreThan : .atLeast
            guard let threshold = Threshold(numerator, denominator, comparison) else {
                #expect(comparison == .moreThan && numerator == denominator)
                continue
            }
            let base = Int(rng.next() % 60)
            let passes = { (count: Int) in
                comparison == .moreThan
                    ? count * denominator > numerator * base : count * denominator >= numerator * base
            }
            let first = (1...base + 1).first(where: passes)!
            #expect(threshold.minimum(of: base) == first, "\(threshold) of \(base)")
        }
    }

    @Test func aMotionIsJudgedOnItsBase() throws {
        let cast = try MotionJudgement(
            count: VoteCount(yes: 6, no: 5, abstain: 8), majority: .simple, present: 19, votingMembers: 19,
            tieRule: .fails)
        #expect(cast.outcome == .carried && cast.base == 11 && cast.required == 6)
        let present = try MotionJudgement(
            count: VoteCount(yes: 6, no: 5, abstain: 8), majority: Majority(.moreThanHalf, of: .membersPresent),
            present: 19, votingMembers: 19, tieRule: .fails)
        #expect(present.outcome == .failed && present.required == 10)
        let revocation = try MotionJudgement(
            count: VoteCount(yes: 9, no: 0, abstain: 0), majority: Majority(.moreThanHalf, of: .allVotingMembers),
            present: 12, votingMembers: 19, tieRule: .fails)
        #expect(revocation.outcome == .failed && revocation.required == 10, "an e-mail revocation needs half of all")
    }

    @Test func aTieFailsOrWaitsForTheChair() throws {
        let count = VoteCount(yes: 7, no: 7, abstain: 1)
        let fails = try MotionJudgement(
            count: count, majority: .simple, present: 15, votingMembers: 19, tieRule: .fails)
        #expect(fails.tied && fails.outcome == .failed)
        let waiting = try MotionJudgement(
            count: count, majority: .simple, present: 15, votingMembers: 19, tieRule: .chairDecides)
        #expect(waiting.outcome == .awaitingCastingVote)
        let decided = try MotionJudgement(
            count: count, majority: .simple, present: 15, votingMembers: 19, tieRule: .chairDecides, castingVote: true)
        #expect(decided.outcome == .carried && decided.castingVote == true)
        let twoThirds = try MotionJudgement(
            count: count, majority: Majority(.twoThirds, of: .votesCast), present: 15, votingMembers: 19,
            tieRule: .chairDecides, castingVote: true)
        #expect(!twoThirds.tied && twoThirds.outcome == .failed, "a casting vote cannot make two thirds")
    }

    @Test func aCountThatDoesNotFitItsRollIsRefused() {
        #expect(throws: VoteCountRefusal.moreAnswersThanPresent(answered: 13, present: 12)) {
            try MotionJudgement(
                count: VoteCount(yes: 10, no: 3), majority: .simple, present: 12, votingMembers: 19, tieRule: .fails)
        }
        #expect(throws: VoteCountRefusal.morePresentThanVoting(present: 20, voting: 19)) {
            try MotionJudgement(count: VoteCount(), majority: .simple, present: 20, votingMembers: 19, tieRule: .fails)
        }
        #expect(throws: VoteCountRefusal.negative) {
            try MotionJudgement(
                count: VoteCount(yes: -1), majority: .simple, present: 2, votingMembers: 19, tieRule: .fails)
        }
    }

    @Test(arguments: 1...20 as ClosedRange<UInt64>)
    func noMotionCarriesWithoutItsMajority(seed: UInt64) throws {
        var rng = SplitMix64(seed: seed)
        let majorities = [
            Majority.simple, Majority(.twoThirds, of: .votesCast), Majority(.moreThanHalf, of: .membersPresent),
            Majority(.moreThanHalf, of: .allVotingMembers),
        ]
        for _ in 0..<200 {
            let voting = Int(rng.next() % 40)
            let present = voting == 0 ? 0 : Int(rng.next() % UInt64(voting + 1))
            let yes = present == 0 ? 0 : Int(rng.next() % UInt64(present + 1))
            let no = present - yes == 0 ? 0 : Int(rng.next() % UInt64(present - yes + 1))
            let abstain = present - yes - no == 0 ? 0 : Int(rng.next() % UInt64(present - yes - no + 1))
            let majority = majorities[Int(rng.next() % 4)]
            let casting: Bool? = rng.next() % 2 == 0 ? nil : rng.next() % 2 == 0
            let judged = try MotionJudgement(
                count: VoteCount(yes: yes, no: no, abstain: abstain), majority: majority, present: present,
                votingMembers: voting, tieRule: rng.next() % 2 == 0 ? .fails : .chairDecides, castingVote: casting)
            let base = [Majority.Base.votesCast: yes + no, .membersPresent: present, .allVotingMembers: voting][
                majority.base]!
            let t = majority.threshold
            let met =
                t.comparison == .moreThan
                ? yes * t.denominator > t.numerator * base : yes * t.denominator >= t.numerator * base
            if judged.outcome == .carried {
                #expect(
                    (met && yes > 0) || (judged.tied && judged.castingVote == true),
                    "\(yes)-\(no)-\(abstain) of \(present)/\(voting) under \(majority)")
            } else {
                #expect(!(met && yes > 0), "\(yes)-\(no)-\(abstain) of \(present)/\(voting) under \(majority)")
            }
        }
    }

    @Test func theQuorumIsCountedOfTheVotingMembers() {
        let met = QuorumCheck(present: 14, votingMembers: 19, rule: .atLeastHalf)
        #expect(met.isMet && met.required == 10)
        #expect(met.description == "14 of 19 voting members present or represented; quorum 10 (at least 1/2): met")
        #expect(!QuorumCheck(present: 9, votingMembers: 19, rule: .atLeastHalf).isMet)
        #expect(QuorumCheck(present: 10, votingMembers: 20, rule: .atLeastHalf).isMet)
    }
}
