import ConcordCore
import Fluent
import Vapor

/// `/governance/votes/…`: a vote between meetings in the browser. Everyone in the forum reads its
/// text, periods, roll and who has voted; a team's handlers and administrators cast its ballot;
/// the secretariat proposes votes (the form on `/governance`) and withdraws them. Through the same
/// services as the API and the command line.
struct GovernanceVoteWebController: RouteCollection {
    typealias G = Paths.Governance

    struct ProposeForm: Content {
        var kind: String?
        var title: String?
        var text: String?
        var timeZone: String?
    }

    struct BallotForm: Content {
        var choice: String?
    }

    struct Page: Encodable {
        let viewer: WebViewer
        let csrf: String
        let vote: GovernanceVoteDTO
        /// The secretariat's desk: withdraw.
        let runs: Bool
        let flash: String?
        let errors: [ConcordError.FieldError]
    }

    static let flashKey = "vote-flash"

    func boot(routes: any RoutesBuilder) throws {
        let votes = routes.grouped(.constant(G.governance), .constant(G.votes))
        votes.post(use: propose)
        let vote = votes.grouped(":vote")
        vote.get(use: show)
        vote.post(.constant(G.ballots), use: cast)
        vote.post(.constant(G.withdraw), use: withdraw)
    }

    static func path(_ reference: String) -> String { "/\(G.governance)/\(G.votes)/\(reference)" }

    @Sendable func show(req: Request) async throws -> Response {
        try req.policy.require(.readGovernance)
        return try await render(req, req.parameters.get("vote"), flash: req.takeFlash(Self.flashKey))
    }

    @Sendable func propose(req: Request) async throws -> Response {
        try req.policy.require(.runMeetings)
        let form = try req.content.decode(ProposeForm.self)
        do {
            let vote = try await GovernanceVotes.propose(
                .init(
                    kind: form.kind.flatMap(DecisionKind.init(rawValue:)), title: form.title, text: form.text,
                    timeZone: form.timeZone?.isEmpty == false ? form.timeZone : nil), caller: req.caller)
            req.session.data[Self.flashKey] = "\(vote.reference) is proposed: discussion until voting opens."
            return req.redirect(to: Self.path(vote.reference), redirectType: .normal)
        } catch let error as ConcordError where error.code == .validation || error.code == .conflict {
            req.session.data[GovernanceWebController.flashKey] =
                "Not proposed: "
                + (error.fields.isEmpty
                    ? error.detail : error.fields.map { "\($0.field): \($0.detail)" }.joined(separator: "; "))
            return req.redirect(to: "/\(G.governance)", redirectType: .normal)
        }
    }

    @Sendable func cast(req: Request) async throws -> Response {
        let principal = try req.caller.requirePrincipal()
        try req.policy.require(.actForTeamInMeeting(team: principal.teamID))
        let form = try req.content.decode(BallotForm.self)
        let reference = req.parameters.get("vote")
        return try await act(req, reference, done: "Your team's ballot is recorded.") {
            _ = try await GovernanceBallots.cast(
                reference, choice: form.choice.flatMap(VoteChoice.init(rawValue:)), channel: .web, caller: req.caller)
        }
    }

    @Sendable func withdraw(req: Request) async throws -> Response {
        try req.policy.require(.runMeetings)
        let reference = req.parameters.get("vote")
        return try await act(req, reference, done: "The vote is withdrawn.") {
            _ = try await GovernanceVotes.withdraw(reference, caller: req.caller)
        }
    }

    /// Does `work`, then goes back to the vote with `done`; a refusal is shown on the page in place.
    private func act(_ req: Request, _ reference: String?, done: String, _ work: () async throws -> Void)
        async throws -> Response
    {
        do {
            try await work()
            req.session.data[Self.flashKey] = done
            return req.redirect(to: Self.path(reference ?? ""), redirectType: .normal)
        } catch let error as ConcordError where error.code == .validation || error.code == .conflict {
            return try await render(req, reference, errors: error.formFields, status: error.status)
        }
    }

    private func render(
        _ req: Request, _ reference: String?, flash: String? = nil, errors: [ConcordError.FieldError] = [],
        status: HTTPStatus = .ok
    ) async throws -> Response {
        let page = Page(
            viewer: try await req.webViewer(), csrf: req.csrfToken,
            vote: try await GovernanceVoteView.make(reference, caller: req.caller),
            runs: req.policy.allows(.runMeetings), flash: flash, errors: errors)
        return try await req.view.render("vote", page).encodeResponse(status: status, for: req)
    }
}
