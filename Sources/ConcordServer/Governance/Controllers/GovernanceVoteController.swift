import ConcordCore
import Fluent
import Vapor

/// Votes between meetings on the API (`/governance/votes`), through `GovernanceVotes`,
/// `GovernanceBallots` and `GovernanceVoteReplies`, as the page and the command line; the forum's
/// mailbox posts each reply mail to `/governance/vote-replies`.
struct GovernanceVoteController: RouteCollection {
    typealias G = Paths.Governance

    struct ProposeInput: Content {
        var kind: DecisionKind?
        var title: String?
        var text: String?
        var timeZone: String?
    }

    struct BallotInput: Content {
        var choice: VoteChoice?
    }

    struct CastingVoteInput: Content {
        var castingVote: Bool?
    }

    func boot(routes: any RoutesBuilder) throws {
        let votes = routes.grouped(.constant(G.governance), .constant(G.votes))
        votes.get(use: list)
        votes.post(use: propose)
        let vote = votes.grouped(":vote")
        vote.get(use: show)
        vote.post(.constant(G.ballots), use: cast)
        vote.post(.constant(G.withdraw), use: withdraw)
        vote.post(.constant(G.castingVote), use: castingVote)
        routes.grouped(.constant(G.governance)).on(
            .POST, .constant(G.voteReplies), body: .collect(maxSize: "1mb"), use: reply)
    }

    @Sendable func list(req: Request) async throws -> [GovernanceVoteSummaryDTO] {
        try await GovernanceVotes.list(caller: req.caller).map(GovernanceVoteSummaryDTO.init)
    }

    @Sendable func propose(req: Request) async throws -> Response {
        try req.policy.require(.runMeetings)
        let input = try req.content.decode(ProposeInput.self)
        let vote = try await GovernanceVotes.propose(
            .init(kind: input.kind, title: input.title, text: input.text, timeZone: input.timeZone), caller: req.caller)
        let response = try await GovernanceVoteView.make(vote.reference, caller: req.caller)
            .encodeResponse(status: .created, for: req)
        response.headers.replaceOrAdd(
            name: .location, value: "/\(Paths.api)/\(G.governance)/\(G.votes)/\(vote.reference)")
        return response
    }

    @Sendable func show(req: Request) async throws -> GovernanceVoteDTO {
        try await GovernanceVoteView.make(req.parameters.get("vote"), caller: req.caller)
    }

    @Sendable func cast(req: Request) async throws -> Response {
        let principal = try req.caller.requirePrincipal()
        try req.policy.require(.actForTeamInMeeting(team: principal.teamID))
        let input = try req.content.decode(BallotInput.self)
        let reference = req.parameters.get("vote")
        _ = try await GovernanceBallots.cast(reference, choice: input.choice, channel: .api, caller: req.caller)
        return try await GovernanceVoteView.make(reference, caller: req.caller).encodeResponse(
            status: .created, for: req)
    }

    @Sendable func withdraw(req: Request) async throws -> GovernanceVoteDTO {
        let vote = try await GovernanceVotes.withdraw(req.parameters.get("vote"), caller: req.caller)
        return try await GovernanceVoteView.make(vote.reference, caller: req.caller)
    }

    @Sendable func castingVote(req: Request) async throws -> GovernanceVoteDTO {
        try req.policy.require(.runMeetings)
        let input = try req.content.decode(CastingVoteInput.self)
        let vote = try await GovernanceBallots.decideTie(
            req.parameters.get("vote"), castingVote: input.castingVote, caller: req.caller)
        return try await GovernanceVoteView.make(vote.reference, caller: req.caller)
    }

    @Sendable func reply(req: Request) async throws -> Response {
        try req.policy.require(.runMeetings)
        let counted = try await GovernanceVoteReplies.receive(req.body.string ?? "", caller: req.caller)
        return try await VoteReplyReceiptDTO(
            vote: counted.vote.reference, team: counted.team.slug, choice: counted.ballot.choice.rawValue,
            receipt: counted.receipt
        ).encodeResponse(status: .created, for: req)
    }
}
