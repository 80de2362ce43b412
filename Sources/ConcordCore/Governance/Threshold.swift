/// A share that a count must reach, "more than 1/2" or "at least 2/3", judged in integers so that
/// no rounding can carry a motion: the smallest count that meets it out of a base is computed
/// exactly.
public struct Threshold: Codable, Equatable, Hashable, Sendable, CustomStringConvertible {
    /// Whether the count must pass the share or may equal it.
    public enum Comparison: String, Codable, Sendable, CaseIterable {
        case moreThan = "more-than"
        case atLeast = "at-least"
    }

    public let numerator: Int
    public let denominator: Int
    public let comparison: Comparison

    /// nil unless 0 < numerator ≤ denominator (a share of nothing or of more than all is no rule).
    public init?(_ numerator: Int, _ denominator: Int, _ comparison: Comparison) {
        guard numerator > 0, denominator > 0, numerator <= denominator,
            !(comparison == .moreThan && numerator == denominator)
        else { return nil }
        self.numerator = numerator
        self.denominator = denominator
        self.comparison = comparison
    }

    /// More than half.
    public static let moreThanHalf = Threshold(1, 2, .moreThan)!
    /// At least half.
    public static let atLeastHalf = Threshold(1, 2, .atLeast)!
    /// At least two thirds.
    public static let twoThirds = Threshold(2, 3, .atLeast)!

    /// The smallest count that meets the threshold out of `base` (at least 1, so that nothing
    /// out of nothing never meets a rule).
    public func minimum(of base: Int) -> Int {
        let scaled = max(base, 0) * numerator
        let needed: Int
        switch comparison {
        case .moreThan: needed = scaled / denominator + 1
        case .atLeast: needed = (scaled + denominator - 1) / denominator
        }
        return max(needed, 1)
    }

    /// Whether `count` out of `base` meets the threshold.
    public func isMet(by count: Int, of base: Int) -> Bool { count >= minimum(of: base) }

    /// "more than 1/2", "at least 2/3".
    public var description: String {
        "\(comparison == .moreThan ? "more than" : "at least") \(numerator)/\(denominator)"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let numerator = try container.decode(Int.self, forKey: .numerator)
        let denominator = try container.decode(Int.self, forKey: .denominator)
        let comparison = try container.decode(Comparison.self, forKey: .comparison)
        guard let threshold = Threshold(numerator, denominator, comparison) else {
            throw DecodingError.dataCorruptedError(
                forKey: .numerator, in: container,
                debugDescription: "\(comparison.rawValue) \(numerator)/\(denominator) is not a share between 0 and all")
        }
        self = threshold
    }
}

/// A majority with its base named: of the votes cast (abstentions left out), of the voting
/// members present or represented, or of all voting members.
public struct Majority: Codable, Equatable, Hashable, Sendable, CustomStringConvertible {
    /// What the yes votes are counted against.
    public enum Base: String, Codable, Sendable, CaseIterable {
        case votesCast = "votes-cast"
        case membersPresent = "members-present"
        case allVotingMembers = "all-voting-members"
    }

    public let threshold: Threshold
    public let base: Base

    public init(_ threshold: Threshold, of base: Base) {
        self.threshold = threshold
        self.base = base
    }

    /// More than half of the votes cast: the ordinary majority.
    public static let simple = Majority(.moreThanHalf, of: .votesCast)

    /// "more than 1/2 of the votes cast (abstentions left out)".
    public var description: String {
        switch base {
        case .votesCast: return "\(threshold) of the votes cast (abstentions left out)"
        case .membersPresent: return "\(threshold) of the voting members present or represented"
        case .allVotingMembers: return "\(threshold) of all voting members"
        }
    }
}
