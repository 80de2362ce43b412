/// How an election is counted.
public enum ElectionMethod: String, Codable, Sendable, CaseIterable {
    /// One vote per seat: a voter marks up to as many candidates as there are seats.
    case plurality
    /// A voter marks every candidate it approves of.
    case approval
    /// An unopposed candidate: yes, no or abstain; elected by more than half of the votes cast.
    case yesNo = "yes-no"
    /// Single transferable vote: a voter ranks candidates; Droop quota, fractional transfers.
    case singleTransferableVote = "stv"
}

/// Why a ballot cannot be counted; refused when it is cast, never counted as spoilt.
public enum BallotRefusal: Error, Equatable, Sendable, CustomStringConvertible {
    case notACandidate(String)
    case markedTwice(String)
    case tooManyMarks(marks: Int, seats: Int)
    case notYesNoOrAbstain([String])

    public var description: String {
        switch self {
        case .notACandidate(let choice): return "'\(choice)' is not a candidate in this election"
        case .markedTwice(let choice): return "'\(choice)' is marked more than once"
        case .tooManyMarks(let marks, let seats): return "\(marks) candidates marked for \(seats) seats"
        case .notYesNoOrAbstain(let choices):
            return "a yes-no ballot says yes, no or abstain, not \(choices.joined(separator: ", "))"
        }
    }
}

/// One ballot's choices: the candidates marked (plurality, approval), ranked first preference
/// first (STV), or `yes`, `no` or `abstain` (yes-no). An empty ballot is blank.
public struct ElectionBallot: Codable, Equatable, Hashable, Sendable {
    public let choices: [String]

    public init(_ choices: [String]) { self.choices = choices }

    public var isBlank: Bool { choices.isEmpty || choices == ["abstain"] }

    /// The ballot if it is valid for `method` with `seats` among `candidates`.
    public static func validated(
        _ choices: [String], method: ElectionMethod, seats: Int, candidates: [String]
    ) throws(BallotRefusal) -> ElectionBallot {
        if method == .yesNo {
            guard choices.isEmpty || (choices.count == 1 && ["yes", "no", "abstain"].contains(choices[0])) else {
                throw .notYesNoOrAbstain(choices)
            }
            return ElectionBallot(choices)
        }
        let known = Set(candidates)
        var seen = Set<String>()
        for choice in choices {
            guard known.contains(choice) else { throw .notACandidate(choice) }
            guard seen.insert(choice).inserted else { throw .markedTwice(choice) }
        }
        if method == .plurality && choices.count > seats { throw .tooManyMarks(marks: choices.count, seats: seats) }
        return ElectionBallot(choices)
    }
}
