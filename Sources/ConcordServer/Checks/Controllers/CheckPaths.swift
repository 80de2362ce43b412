extension Paths {
    /// Communication checks: the API, and the link each challenge's mail carries.
    enum Checks {
        static let commChecks = "comm-checks"
        static let schedules = "comm-check-schedules"
        static let report = "report"
        static let answer = "answer"
        static let challenges = "challenges"
        static let call = "call"
        static let replies = "replies"
        static let history = "history"
        /// The page a challenge's mail links to.
        static let link = "checks"

        /// The link mailed with challenge token `token`.
        static func challengeLink(publicURL: String, token: String) -> String {
            "\(publicURL)/\(link)/\(token)"
        }
    }
}
