import ConcordCore
import Testing

/// Elections are counted from their ballots alone: the textbook STV example gives its textbook
/// winners; every stage of a count keeps every vote somewhere; whoever reaches the quota is
/// elected; the ballots' order changes nothing; ties across a seat are settled by the drawn lot.
@Suite struct ElectionCountTests {
    static func ballots(_ groups: [(Int, [String])]) -> [ElectionBallot] {
        groups.flatMap { count, choices in Array(repeating: ElectionBallot(choices), count: count) }
    }

    @Test func theTextbookExampleElectsChocolateOrangesAndStrawberries() {
        let candidates = ["oranges", "pears", "chocolate", "strawberries", "hamburgers"]
        let result = ElectionCount.count(
            method: .singleTransferableVote, seats: 3, candidates: candidates,
            ballots: Self.ballots([
                (4, ["oranges"]), (2, ["pears", "oranges"]), (8, ["chocolate", "strawberries"]),
                (4, ["chocolate", "hamburgers"]), (1, ["strawberries"]), (1, ["hamburgers"]),
            ]))
        #expect(result.elected == ["chocolate", "oranges", "strawberries"])
        #expect(result.rounds.first?.action == .elected(["chocolate"]))
        #expect(result.rounds.first?.votes["chocolate"] == 12 * SingleTransferableVote.scale)
        #expect(result.rounds[1].action == .surplusTransferred("chocolate", transferValue: 50_000))
        #expect(result.rounds[2].votes["strawberries"] == 5 * SingleTransferableVote.scale)
        #expect(result.rounds[2].action == .excluded("pears"))
        #expect(STVRound.text(result.rounds[2].votes["hamburgers"]!) == "3.00000")
        #expect(result.decidedByLot.isEmpty)
    }

    @Test(arguments: 1...25 as ClosedRange<UInt64>)
    func everyStageKeepsEveryVote(seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        let candidates = (0..<Int(rng.next() % 12 + 2)).map { "c\($0)" }
        let seats = Int(rng.next() % UInt64(candidates.count)) + 1
        let ballots = (0..<Int(rng.next() % 300 + 1)).map { _ in
            ElectionBallot(
                Array(candidates.shuffled(using: &rng).prefix(Int(rng.next() % UInt64(candidates.count + 1)))))
        }
        let result = ElectionCount.count(
            method: .singleTransferableVote, seats: seats, candidates: candidates, ballots: ballots)
        let valid = ballots.filter { !$0.choices.isEmpty }.count
        let quota = (valid / (seats + 1) + 1) * SingleTransferableVote.scale
        for round in result.rounds {
            #expect(round.lostToFractions >= 0 && round.exhausted >= 0)
            #expect(
                round.votes.values.reduce(0, +) + round.exhausted + round.lostToFractions
                    == valid * SingleTransferableVote.scale)
        }
        #expect(Set(result.elected).count == result.elected.count)
        if valid > 0 { #expect(result.elected.count == min(seats, candidates.count)) }
        for (candidate, firsts) in result.votes where firsts * SingleTransferableVote.scale >= quota {
            #expect(result.elected.contains(candidate), "\(candidate) reached the quota on first preferences")
        }
        let shuffled = ElectionCount.count(
            method: .singleTransferableVote, seats: seats, candidates: candidates,
            ballots: ballots.shuffled(using: &rng))
        #expect(shuffled == result, "the ballots' order changes nothing")
    }

    @Test(arguments: 1...10 as ClosedRange<UInt64>)
    func oneSeatGoesToAMajorityOfFirstPreferences(seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        let candidates = ["a", "b", "c", "d"]
        var ballots = (0..<51).map { _ in ElectionBallot(["b"] + ["a", "c", "d"].shuffled(using: &rng).prefix(1)) }
        ballots += (0..<49).map { _ in ElectionBallot(Array(["a", "c", "d"].shuffled(using: &rng))) }
        let result = ElectionCount.count(
            method: .singleTransferableVote, seats: 1, candidates: candidates, ballots: ballots)
        #expect(result.elected == ["b"])
    }

    @Test func aTieForExclusionGoesByEarlierStagesThenByTheLot() {
        let candidates = ["ann", "bob", "cy"]
        let ballots = Self.ballots([(3, ["ann"]), (2, ["bob", "ann"]), (2, ["cy", "ann"])])
        let byLot = ElectionCount.count(
            method: .singleTransferableVote, seats: 2, candidates: candidates, ballots: ballots,
            lot: ["cy", "bob", "ann"])
        #expect(byLot.rounds.contains { $0.action == .excluded("bob") }, "bob drew later than cy")
        #expect(byLot.decidedByLot.sorted() == ["bob", "cy"])
        #expect(byLot.elected.contains("cy") && byLot.elected.contains("ann"))
    }

    @Test func pluralityAndApprovalTakeTheMostMarked() {
        let candidates = ["auscert", "jpcert", "krcert", "mycert"]
        let ballots = Self.ballots([(5, ["jpcert", "krcert"]), (4, ["auscert", "mycert"]), (1, ["krcert"]), (2, [])])
        let plurality = ElectionCount.count(method: .plurality, seats: 2, candidates: candidates, ballots: ballots)
        #expect(plurality.elected == ["krcert", "jpcert"] && plurality.blankBallots == 2)
        let tie = ElectionCount.count(
            method: .approval, seats: 1, candidates: candidates,
            ballots: Self.ballots([(2, ["auscert"]), (2, ["mycert"])]),
            lot: ["mycert", "auscert", "jpcert", "krcert"])
        #expect(tie.elected == ["mycert"] && tie.decidedByLot == ["mycert"])
    }

    @Test func anUnopposedCandidateNeedsMoreYesThanNo() {
        let yes = ElectionCount.count(
            method: .yesNo, seats: 1, candidates: ["jpcert"],
            ballots: Self.ballots([(8, ["yes"]), (7, ["no"]), (4, ["abstain"])]))
        #expect(yes.elected == ["jpcert"] && yes.votes == ["yes": 8, "no": 7] && yes.blankBallots == 4)
        let tie = ElectionCount.count(
            method: .yesNo, seats: 1, candidates: ["jpcert"], ballots: Self.ballots([(7, ["yes"]), (7, ["no"])]))
        #expect(tie.elected.isEmpty)
    }

    @Test func aBallotThatCannotCountIsRefusedWithItsReason() {
        let candidates = ["a", "b", "c"]
        #expect(throws: BallotRefusal.tooManyMarks(marks: 2, seats: 1)) {
            try ElectionBallot.validated(["a", "b"], method: .plurality, seats: 1, candidates: candidates)
        }
        #expect(throws: BallotRefusal.markedTwice("a")) {
            try ElectionBallot.validated(
                ["a", "b", "a"], method: .singleTransferableVote, seats: 2, candidates: candidates)
        }
        #expect(throws: BallotRefusal.notACandidate("z")) {
            try ElectionBallot.validated(["z"], method: .approval, seats: 1, candidates: candidates)
        }
        #expect(throws: BallotRefusal.notYesNoOrAbstain(["maybe"])) {
            try ElectionBallot.validated(["maybe"], method: .yesNo, seats: 1, candidates: ["a"])
        }
        #expect(
            (try? ElectionBallot.validated(
                ["c", "a"], method: .singleTransferableVote, seats: 2, candidates: candidates)) != nil)
    }
}
