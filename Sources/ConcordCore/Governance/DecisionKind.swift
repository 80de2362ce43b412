/// What a motion or a vote decides, which names the majority it needs.
public enum DecisionKind: String, Codable, Sendable, CaseIterable {
    case ordinary
    case admission
    case revocation
    case constitutionChange = "constitution-change"
}

/// One team's answer on a named vote.
public enum VoteChoice: String, Codable, Sendable, CaseIterable {
    case yes, no, abstain
}

extension Constitution {
    /// The majority a decision of `kind` needs, at a general meeting or by a vote between meetings.
    public func majority(for kind: DecisionKind, atMeeting: Bool) -> Majority {
        switch kind {
        case .ordinary: return majorities.ordinary
        case .admission: return majorities.admission
        case .revocation: return atMeeting ? majorities.revocationAtMeeting : majorities.revocationBetweenMeetings
        case .constitutionChange: return majorities.constitutionChange
        }
    }
}

extension VoteCount {
    /// The count of `choices`.
    public init(_ choices: some Sequence<VoteChoice>) {
        self.init()
        for choice in choices {
            switch choice {
            case .yes: yes += 1
            case .no: no += 1
            case .abstain: abstain += 1
            }
        }
    }
}
