import Vapor

/// The answer of `GET /api/v1/lookup`.
struct LookupResultDTO: Content {
    /// One responsible team.
    struct Match: Content {
        let team: TeamCard
        /// `prefix`, `asn`, `domain`, `national-team` or `secretariat`.
        let basis: String
        /// What matched: `203.0.113.0/25`, `AS64496`, `gov.example`, or the economy's name.
        let matched: String
        /// A sentence for people: "203.0.113.7 in 203.0.113.0/25 of JPCERT/CC".
        let reason: String
    }

    let query: String
    /// `ip`, `asn` or `domain`.
    let kind: String
    /// Whether the answer is a fallback (national team or secretariat) rather than a direct match.
    let fallback: Bool
    /// Most specific first.
    let matches: [Match]
}
