/// A quorum check as the record keeps it: how many voting members were present or represented,
/// how many the rule required out of how many voting members, and whether it was met.
public struct QuorumCheck: Codable, Equatable, Sendable, CustomStringConvertible {
    public let present: Int
    public let votingMembers: Int
    public let required: Int
    public let rule: Threshold

    /// Checks `present` (in person, online or by proxy) against `rule` of `votingMembers`.
    public init(present: Int, votingMembers: Int, rule: Threshold) {
        self.present = present
        self.votingMembers = votingMembers
        self.rule = rule
        required = rule.minimum(of: votingMembers)
    }

    public var isMet: Bool { present >= required }

    /// "14 of 19 voting members present or represented; quorum 10 (at least 1/2): met".
    public var description: String {
        "\(present) of \(votingMembers) voting members present or represented; quorum \(required) (\(rule)): "
            + (isMet ? "met" : "not met")
    }
}
