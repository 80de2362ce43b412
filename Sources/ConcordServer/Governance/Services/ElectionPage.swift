import ConcordCore
import Foundation

/// What the election page shows, worked out for the template: the ballot's candidates in the lot's
/// order, the preferences to rank for STV, the result as bars, and STV's count sheet as rows.
struct ElectionPage: Encodable {
    /// One candidate's bar in the result.
    struct Bar: Encodable {
        let team: String
        let votes: Int
        /// Of the largest count, for the bar's width.
        let percent: Int
        let elected: Bool
    }

    /// One stage of STV's count sheet.
    struct Stage: Encodable {
        let stage: Int
        let action: String
        /// "singcert 3.00000", in the candidates' order.
        let votes: [String]
        let exhausted: String
    }

    let viewer: WebViewer
    let csrf: String
    let election: ElectionDTO
    let runs: Bool
    let flash: String?
    let errors: [ConcordError.FieldError]
    let ballotCandidates: [ElectionDTO.Candidate]
    /// 1…n: the preferences an STV ballot ranks.
    let preferences: [Int]
    let multipleMarks: Bool
    let bars: [Bar]
    let stages: [Stage]
    /// The teams the caller may vote for now: its own first, then those whose proxy it holds.
    let voteFor: [String]

    init(
        viewer: WebViewer, csrf: String, election: ElectionDTO, runs: Bool, flash: String?,
        errors: [ConcordError.FieldError]
    ) {
        self.viewer = viewer
        self.csrf = csrf
        self.election = election
        self.runs = runs
        self.flash = flash
        self.errors = errors
        let standing = election.candidates.filter(\.standing)
        let order = election.lot ?? standing.map(\.team)
        ballotCandidates = order.compactMap { slug in standing.first { $0.team == slug } }
        preferences = Array(1...max(ballotCandidates.count, 1))
        multipleMarks = election.method == ElectionMethod.approval.rawValue || election.seats > 1
        if let result = election.result {
            let most = max(result.votes.values.max() ?? 0, 1)
            bars = result.votes.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.map {
                Bar(
                    team: $0.key, votes: $0.value, percent: $0.value * 100 / most,
                    elected: result.elected.contains($0.key))
            }
            stages = result.rounds.map { round in
                Stage(
                    stage: round.stage, action: Self.text(round.action),
                    votes: result.candidates.map { "\($0) \(STVRound.text(round.votes[$0] ?? 0))" },
                    exhausted: STVRound.text(round.exhausted))
            }
        } else {
            bars = []
            stages = []
        }
        var voteFor: [String] = []
        if let own = election.ownTeam {
            if own.mayVote { voteFor.append(own.team) }
            if election.state == "voting" { voteFor += own.proxies }
        }
        self.voteFor = voteFor
    }

    static func text(_ action: STVRound.Action) -> String {
        switch action {
        case .elected(let teams): return "elected at the quota: \(teams.joined(separator: ", "))"
        case .surplusTransferred(let team, let value):
            return "\(team)'s surplus transferred at \(STVRound.text(value))"
        case .excluded(let team): return "\(team) excluded, its ballots passed on"
        case .electedWithoutQuota(let teams): return "elected as the seats left: \(teams.joined(separator: ", "))"
        }
    }
}
