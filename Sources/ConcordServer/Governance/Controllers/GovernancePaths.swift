extension Paths {
    /// The forum's governance: its constitution and offices.
    enum Governance {
        /// `/api/v1/governance` and the web page `/governance`.
        static let governance = "governance"
        static let constitution = "constitution"
        static let versions = "versions"
        static let offices = "offices"
    }
}

extension Paths.Governance {
    static let meetings = "meetings"
    static let motions = "motions"
    static let open = "open"
    static let close = "close"
    static let attendance = "attendance"
    static let proxies = "proxies"
    static let second = "second"
    static let votes = "votes"
    static let castingVote = "casting-vote"
    static let minutes = "minutes"
}

extension Paths.Governance {
    /// `/governance/votes/VOTE-2027-1/ballots`, `/withdraw`; `/governance/vote-replies` for the mailbox.
    static let ballots = "ballots"
    static let withdraw = "withdraw"
    static let voteReplies = "vote-replies"
}

extension Paths {
    /// Elections: `/api/v1/elections` and the pages under `/governance/elections`.
    enum Elections {
        static let elections = "elections"
        static let board = "board"
        static let nominations = "nominations"
        static let second = "second"
        static let withdraw = "withdraw"
        static let open = "open"
        static let ballots = "ballots"
        static let close = "close"
        static let cancel = "cancel"
    }
}
