/// An election's result as it is published: the ballots counted, each candidate's votes, who was
/// elected in which order, whose place a tie left to the lot, and for STV the count sheet.
public struct ElectionResult: Codable, Equatable, Sendable {
    public let method: ElectionMethod
    public let seats: Int
    public let candidates: [String]
    public let ballots: Int
    public let blankBallots: Int
    /// Marks (plurality, approval), first preferences (STV), or for yes-no `yes` and `no`.
    public let votes: [String: Int]
    /// In the order elected.
    public let elected: [String]
    /// Candidates whose place among the elected was decided by the lot's order.
    public let decidedByLot: [String]
    /// STV's count sheet, one entry per stage; empty for the other methods.
    public let rounds: [STVRound]

    public init(
        method: ElectionMethod, seats: Int, candidates: [String], ballots: Int, blankBallots: Int,
        votes: [String: Int], elected: [String], decidedByLot: [String], rounds: [STVRound]
    ) {
        self.method = method
        self.seats = seats
        self.candidates = candidates
        self.ballots = ballots
        self.blankBallots = blankBallots
        self.votes = votes
        self.elected = elected
        self.decidedByLot = decidedByLot
        self.rounds = rounds
    }
}

/// Counts an election from its ballots alone: the same ballots, candidates and lot give the same
/// result on every machine, which is what lets anyone check a published board.
public enum ElectionCount {
    /// Counts `ballots` (already validated) for `seats` among `candidates`. `lot` is the order the
    /// returning officer drew, earlier first: it settles ties the votes leave (default: the
    /// candidates' order).
    public static func count(
        method: ElectionMethod, seats: Int, candidates: [String], ballots: [ElectionBallot], lot: [String]? = nil
    ) -> ElectionResult {
        let lotOrder = lot ?? candidates
        let blank = ballots.filter(\.isBlank).count
        switch method {
        case .plurality, .approval:
            var votes = Dictionary(uniqueKeysWithValues: candidates.map { ($0, 0) })
            for ballot in ballots { for choice in ballot.choices { votes[choice, default: 0] += 1 } }
            let (elected, byLot) = top(seats, of: candidates, votes: votes, lot: lotOrder)
            return ElectionResult(
                method: method, seats: seats, candidates: candidates, ballots: ballots.count, blankBallots: blank,
                votes: votes, elected: elected, decidedByLot: byLot, rounds: [])
        case .yesNo:
            let yes = ballots.filter { $0.choices == ["yes"] }.count
            let no = ballots.filter { $0.choices == ["no"] }.count
            let carried = Majority.simple.threshold.isMet(by: yes, of: yes + no)
            return ElectionResult(
                method: method, seats: seats, candidates: candidates, ballots: ballots.count, blankBallots: blank,
                votes: ["yes": yes, "no": no], elected: carried ? Array(candidates.prefix(1)) : [], decidedByLot: [],
                rounds: [])
        case .singleTransferableVote:
            let index = Dictionary(uniqueKeysWithValues: candidates.enumerated().map { ($1, $0) })
            let rankings = ballots.map { $0.choices.compactMap { index[$0] } }
            let lotRanks = lotOrder.compactMap { index[$0] }
            let sheet = SingleTransferableVote.count(
                seats: seats, candidateCount: candidates.count, rankings: rankings, lot: lotRanks)
            var firsts = Dictionary(uniqueKeysWithValues: candidates.map { ($0, 0) })
            for ranking in rankings { if let first = ranking.first { firsts[candidates[first], default: 0] += 1 } }
            return ElectionResult(
                method: method, seats: seats, candidates: candidates, ballots: ballots.count, blankBallots: blank,
                votes: firsts, elected: sheet.elected.map { candidates[$0] },
                decidedByLot: sheet.decidedByLot.map { candidates[$0] },
                rounds: sheet.rounds.map { $0.named(candidates) })
        }
    }

    /// The `seats` candidates with most votes; a tie across the last seat goes by the lot.
    static func top(_ seats: Int, of candidates: [String], votes: [String: Int], lot: [String]) -> ([String], [String])
    {
        let rank = Dictionary(uniqueKeysWithValues: lot.enumerated().map { ($1, $0) })
        let ordered = candidates.sorted {
            (votes[$0] ?? 0, -(rank[$0] ?? Int.max)) > (votes[$1] ?? 0, -(rank[$1] ?? Int.max))
        }
        let elected = Array(ordered.prefix(max(seats, 0)))
        guard let last = elected.last, elected.count < ordered.count,
            votes[ordered[elected.count]] == votes[last]
        else { return (elected, []) }
        let tiedVotes = votes[last]
        return (elected, elected.filter { votes[$0] == tiedVotes })
    }
}
