import Foundation

/// Traffic Light Protocol 2.0 labels (FIRST), from least to most restricted.
/// Printed (`"\(label)"`) as its label, `TLP:AMBER`.
public enum TLPLabel: String, CaseIterable, Codable, Sendable, Comparable, CustomStringConvertible {
    case clear = "TLP:CLEAR"
    case green = "TLP:GREEN"
    case amber = "TLP:AMBER"
    case amberStrict = "TLP:AMBER+STRICT"
    case red = "TLP:RED"

    private var rank: Int { Self.allCases.firstIndex(of: self) ?? 0 }

    public static func < (lhs: TLPLabel, rhs: TLPLabel) -> Bool { lhs.rank < rhs.rank }

    public var description: String { rawValue }

    /// Accepts `TLP:AMBER+STRICT`, `amber+strict` and TLP 1.0's `WHITE` (read as CLEAR).
    public init?(text: String) {
        var upper = text.trimmingCharacters(in: .whitespaces).uppercased()
        if !upper.hasPrefix("TLP:") { upper = "TLP:" + upper }
        if upper == "TLP:WHITE" { upper = "TLP:CLEAR" }
        self.init(rawValue: upper)
    }
}

/// Who is asking to read a TLP-marked item, as far as the TLP rules care.
public struct TLPViewer: Sendable, Hashable {
    /// The viewer's user key (nil for anonymous).
    public let user: String?
    /// The viewer's team key (nil for anonymous).
    public let team: String?
    /// Whether the viewer belongs to the forum (a logged-in member of any member team).
    public let isForumMember: Bool
    /// The teams with national responsibility for the viewer's economy: the viewer's team is their
    /// constituent (one of their clients, in TLP's words).
    public let nationalTeams: Set<String>

    /// Creates a viewer.
    public init(user: String?, team: String?, isForumMember: Bool, nationalTeams: Set<String> = []) {
        self.user = user
        self.team = team
        self.isForumMember = isForumMember
        self.nationalTeams = nationalTeams
    }
}

/// The audience a TLP-marked item was shared with.
public struct TLPAudience: Sendable, Hashable {
    /// The label.
    public let label: TLPLabel
    /// The team that created the item (may read it, except under RED).
    public let ownerTeam: String
    /// The person who created the item (may always read it, RED included).
    public let ownerUser: String?
    /// Teams the item was addressed to (AMBER, AMBER+STRICT).
    public let recipientTeams: Set<String>
    /// Named individuals (RED).
    public let recipientUsers: Set<String>

    /// Creates an audience.
    public init(
        label: TLPLabel, ownerTeam: String, ownerUser: String? = nil, recipientTeams: Set<String> = [],
        recipientUsers: Set<String> = []
    ) {
        self.label = label
        self.ownerTeam = ownerTeam
        self.ownerUser = ownerUser
        self.recipientTeams = recipientTeams
        self.recipientUsers = recipientUsers
    }
}

/// The TLP 2.0 read rules, as one pure function the access policy calls.
public enum TLPRules {
    /// Whether `viewer` may read an item shared with `audience`.
    ///
    /// CLEAR: anyone. GREEN: the community (forum members). AMBER+STRICT: the owner and the
    /// recipient organisations. AMBER: those, and their clients; in the forum a national team's
    /// clients are its constituents, the teams of the economy it has national responsibility for.
    /// RED: the named individuals and the author only, not even the author's teammates.
    public static func mayRead(_ viewer: TLPViewer, _ audience: TLPAudience) -> Bool {
        switch audience.label {
        case .clear:
            return true
        case .green:
            return viewer.isForumMember
        case .amber, .amberStrict:
            guard viewer.isForumMember, let team = viewer.team else { return false }
            if team == audience.ownerTeam || audience.recipientTeams.contains(team) { return true }
            guard audience.label == .amber else { return false }
            return viewer.nationalTeams.contains(audience.ownerTeam)
                || !viewer.nationalTeams.isDisjoint(with: audience.recipientTeams)
        case .red:
            guard viewer.isForumMember, let user = viewer.user else { return false }
            return audience.recipientUsers.contains(user) || user == audience.ownerUser
        }
    }
}
