/// One stage of an STV count as the count sheet prints it: every candidate's votes before the
/// stage's action, the votes no longer with anyone, and what the stage did. Votes are in
/// hundred-thousandths (five decimals, as Scottish STV counts them), in integers.
public struct STVRound: Codable, Equatable, Sendable {
    /// What a stage did.
    public enum Action: Codable, Equatable, Sendable {
        /// These candidates reached the quota and are elected.
        case elected([String])
        /// This elected candidate's surplus went on at this transfer value (hundred-thousandths).
        case surplusTransferred(String, transferValue: Int)
        /// This candidate had fewest votes and is excluded; its ballots went on at their value.
        case excluded(String)
        /// As many candidates remained as seats: they are elected without the quota.
        case electedWithoutQuota([String])
    }

    public let stage: Int
    public let votes: [String: Int]
    /// Ballots with no continuing candidate left.
    public let exhausted: Int
    /// Lost to truncating transfer values to five decimals.
    public let lostToFractions: Int
    public let action: Action

    /// "12.34567" for 1,234,567 hundred-thousandths.
    public static func text(_ value: Int) -> String {
        let fraction = String(value % SingleTransferableVote.scale)
        return "\(value / SingleTransferableVote.scale).\(String(repeating: "0", count: 5 - fraction.count))\(fraction)"
    }
}

/// The single transferable vote for several seats: the Droop quota (⌊valid ÷ (seats + 1)⌋ + 1);
/// every candidate at the quota elected, the largest surplus transferred first at a transfer value
/// (surplus ÷ the candidate's votes) applied to every ballot it holds (weighted inclusive Gregory),
/// truncated to five decimals; when no surplus is left, the candidate with fewest votes excluded
/// (a tie: fewest at the earliest stage they differed, then the lot); when as many candidates
/// remain as seats, they are elected. Integers throughout, so every machine gives the same sheet.
/// Hand-written: no Swift package counts STV.
public enum SingleTransferableVote {
    /// Votes are counted in hundred-thousandths.
    public static let scale = 100_000

    /// A count by candidate index.
    public struct Sheet: Sendable {
        public let quota: Int
        public let elected: [Int]
        public let decidedByLot: [Int]
        public let rounds: [IndexedRound]
    }

    /// A stage by candidate index (named by `named(_:)`).
    public struct IndexedRound: Sendable {
        public let stage: Int
        public let votes: [Int]
        public let exhausted: Int
        public let lostToFractions: Int
        public let action: IndexedAction

        func named(_ candidates: [String]) -> STVRound {
            let action: STVRound.Action
            switch self.action {
            case .elected(let list): action = .elected(list.map { candidates[$0] })
            case .surplus(let candidate, let value):
                action = .surplusTransferred(candidates[candidate], transferValue: value)
            case .excluded(let candidate): action = .excluded(candidates[candidate])
            case .electedWithoutQuota(let list): action = .electedWithoutQuota(list.map { candidates[$0] })
            }
            return STVRound(
                stage: stage, votes: Dictionary(uniqueKeysWithValues: zip(candidates, votes)), exhausted: exhausted,
                lostToFractions: lostToFractions, action: action)
        }
    }

    /// What a stage did, by candidate index.
    public enum IndexedAction: Sendable {
        case elected([Int])
        case surplus(Int, Int)
        case excluded(Int)
        case electedWithoutQuota([Int])
    }

    private enum Standing { case continuing, elected, excluded }

    /// Counts `rankings` (candidate indices, first preference first; blank rankings are not valid
    /// votes) for `seats` among `candidateCount` candidates; `lot` is the drawn order, earlier first.
    public static func count(seats: Int, candidateCount: Int, rankings: [[Int]], lot: [Int]) -> Sheet {
        var state = CountState(candidateCount: candidateCount, rankings: rankings.filter { !$0.isEmpty }, lot: lot)
        let valid = state.rankings.count
        let quota = (valid / (seats + 1) + 1) * scale
        var elected: [Int] = []
        var pending: [Int] = []
        var rounds: [IndexedRound] = []
        var byLot: Set<Int> = []
        var orderOnly: Set<Int> = []  // ties that only order the elected: not a decision by lot
        var history: [[Int]] = []

        // A stage is recorded as it stood before its action: the votes and the exhausted together.
        func record(_ totals: [Int], _ exhausted: Int, _ action: IndexedAction) {
            let held = totals.reduce(0, +)
            rounds.append(
                IndexedRound(
                    stage: rounds.count + 1, votes: totals, exhausted: exhausted,
                    lostToFractions: valid * scale - held - exhausted, action: action))
        }

        while elected.count < seats {
            let totals = (0..<candidateCount).map { state.total(of: $0, quota: quota) }
            history.append(totals)
            let exhausted = state.exhausted
            let continuing = (0..<candidateCount).filter { state.standing[$0] == .continuing }
            if continuing.isEmpty { break }
            let reached = continuing.filter { totals[$0] >= quota }
            if !reached.isEmpty {
                let ordered = state.ordered(reached, by: history, highestFirst: true, lotUsed: &orderOnly)
                for candidate in ordered { state.standing[candidate] = .elected }
                elected += ordered
                pending += ordered
                record(totals, exhausted, .elected(ordered))
                continue
            }
            if continuing.count <= seats - elected.count {
                let ordered = state.ordered(continuing, by: history, highestFirst: true, lotUsed: &orderOnly)
                for candidate in ordered { state.standing[candidate] = .elected }
                elected += ordered
                record(totals, exhausted, .electedWithoutQuota(ordered))
                break
            }
            if !pending.isEmpty {
                let largest = state.ordered(pending, by: history, highestFirst: true, lotUsed: &orderOnly)[0]
                pending.removeAll { $0 == largest }
                let surplus = totals[largest] - quota
                let value = surplus > 0 ? surplus * scale / totals[largest] : 0
                state.transfer(from: largest, value: value, keeping: quota)
                record(totals, exhausted, .surplus(largest, value))
                continue
            }
            let lowest = state.ordered(continuing, by: history, highestFirst: false, lotUsed: &byLot)[0]
            state.standing[lowest] = .excluded
            state.transfer(from: lowest, value: scale, keeping: 0)
            record(totals, exhausted, .excluded(lowest))
        }
        return Sheet(quota: quota, elected: elected, decidedByLot: byLot.sorted(), rounds: rounds)
    }

    /// The ballots, where each sits and at what value.
    private struct CountState {
        let rankings: [[Int]]
        let lotRank: [Int]
        var standing: [Standing]
        var weights: [Int]
        var position: [Int]
        var piles: [[Int]]
        /// What an elected candidate whose surplus went on keeps (the quota).
        var kept: [Int?]
        var exhausted = 0

        init(candidateCount: Int, rankings: [[Int]], lot: [Int]) {
            self.rankings = rankings
            var rank = Array(repeating: Int.max, count: candidateCount)
            for (place, candidate) in lot.enumerated() where candidate < candidateCount { rank[candidate] = place }
            lotRank = rank
            standing = Array(repeating: .continuing, count: candidateCount)
            weights = Array(repeating: SingleTransferableVote.scale, count: rankings.count)
            position = Array(repeating: 0, count: rankings.count)
            piles = Array(repeating: [], count: candidateCount)
            kept = Array(repeating: nil, count: candidateCount)
            for ballot in rankings.indices { place(ballot) }
        }

        /// Puts a ballot with its next continuing preference, or among the exhausted.
        mutating func place(_ ballot: Int) {
            let ranking = rankings[ballot]
            while position[ballot] < ranking.count, standing[ranking[position[ballot]]] != .continuing {
                position[ballot] += 1
            }
            if position[ballot] < ranking.count {
                piles[ranking[position[ballot]]].append(ballot)
            } else {
                exhausted += weights[ballot]
            }
        }

        func total(of candidate: Int, quota: Int) -> Int {
            if let value = kept[candidate] { return value }
            return piles[candidate].reduce(0) { $0 + weights[$1] }
        }

        /// Sends every ballot `candidate` holds on at `value` of its weight; the candidate keeps `keeping`.
        mutating func transfer(from candidate: Int, value: Int, keeping: Int) {
            let ballots = piles[candidate]
            piles[candidate] = []
            kept[candidate] = keeping
            for ballot in ballots {
                weights[ballot] = weights[ballot] * value / SingleTransferableVote.scale
                place(ballot)
            }
        }

        /// `candidates` by their latest votes (most or fewest first); ties by the earliest stage
        /// they differed, then by the lot (earlier in the lot counts as more).
        func ordered(_ candidates: [Int], by history: [[Int]], highestFirst: Bool, lotUsed: inout Set<Int>) -> [Int] {
            var tiesByLot: Set<Int> = []
            let sorted = candidates.sorted { left, right in
                let latest = history[history.count - 1]
                if latest[left] != latest[right] {
                    return highestFirst ? latest[left] > latest[right] : latest[left] < latest[right]
                }
                if let stage = history.first(where: { $0[left] != $0[right] }) {
                    return highestFirst ? stage[left] > stage[right] : stage[left] < stage[right]
                }
                tiesByLot.formUnion([left, right])
                return highestFirst ? lotRank[left] < lotRank[right] : lotRank[left] > lotRank[right]
            }
            if let first = sorted.first, tiesByLot.contains(first) { lotUsed.formUnion(tiesByLot) }
            return sorted
        }
    }
}
