/// A right a member team holds under the constitution.
public enum MemberRight: String, Codable, Sendable, CaseIterable, Comparable {
    case vote, stand, sponsor
    case attendClosedSessions = "attend-closed-sessions"

    public static func < (left: MemberRight, right: MemberRight) -> Bool {
        allCases.firstIndex(of: left)! < allCases.firstIndex(of: right)!
    }
}

/// Where a team stands in the forum, as far as its rights depend on it.
public struct MemberStanding: Equatable, Sendable {
    /// Whether the team is a member in good standing (not applied, suspended or former).
    public var isActive: Bool
    public var category: String
    /// The day it was admitted; nil for a founding member (no waiting period).
    public var admittedOn: CivilDate?

    public init(isActive: Bool, category: String, admittedOn: CivilDate?) {
        self.isActive = isActive
        self.category = category
        self.admittedOn = admittedOn
    }
}

extension Constitution {
    /// The rights `standing` holds on `day`. A team that is not active (suspended included) has
    /// none. Voting and standing wait the category's months after admission; a sponsor must be
    /// a voting member, so sponsoring waits too.
    public func rights(of standing: MemberStanding, on day: CivilDate) -> Set<MemberRight> {
        guard standing.isActive, let rights = rights(of: standing.category) else { return [] }
        var held = Set<MemberRight>()
        if rights.attendsClosedSessions { held.insert(.attendClosedSessions) }
        let waited = standing.admittedOn.map { $0.adding(months: rights.monthsBeforeVoting) <= day } ?? true
        guard waited else { return held }
        if rights.mayVote { held.insert(.vote) }
        if rights.mayStand { held.insert(.stand) }
        if rights.maySponsor && rights.mayVote { held.insert(.sponsor) }
        return held
    }

    /// The first day a team admitted on `admittedOn` to `category` may vote; nil if it never may.
    public func mayVoteFrom(category: String, admittedOn: CivilDate) -> CivilDate? {
        guard let rights = rights(of: category), rights.mayVote else { return nil }
        return admittedOn.adding(months: rights.monthsBeforeVoting)
    }
}
