import Vapor

/// `/checks/{token}`: the page a communication check's mail links to, and its button (opening
/// the link answers nothing, so that a mail scanner following links cannot answer for the team).
struct CommCheckLinkController: RouteCollection {
    struct Page: Encodable {
        let csrf: String
        let team: String
        let address: String
        let check: String
        let done: Bool
        let answeredAt: String?
    }

    func boot(routes: any RoutesBuilder) throws {
        routes.get(.constant(Paths.Checks.link), ":token", use: show)
        routes.post(.constant(Paths.Checks.link), ":token", use: confirm)
    }

    @Sendable func show(req: Request) async throws -> View {
        try await render(req, done: false)
    }

    @Sendable func confirm(req: Request) async throws -> View {
        let challenge = try await Self.challenge(req)
        try await CommChecks.answer(challenge, via: "link", at: req.application.clock.now(), on: req.db)
        return try await render(req, done: true)
    }

    private func render(_ req: Request, done: Bool) async throws -> View {
        let challenge = try await Self.challenge(req)
        let team = try await Team.find(challenge.teamID, on: req.db)
        let check = try await CommCheck.find(challenge.checkID, on: req.db)
        return try await req.view.render(
            "check-answer",
            Page(
                csrf: req.csrfToken, team: team?.shortName ?? "", address: challenge.address, check: check?.title ?? "",
                done: done, answeredAt: challenge.answeredAt.map(NotificationText.utc)))
    }

    private static func challenge(_ req: Request) async throws -> CommChallenge {
        guard let id = req.application.serverSecret.challenge(fromToken: req.parameters.get("token") ?? ""),
            let challenge = try await CommChallenge.find(id, on: req.db)
        else { throw ConcordError.notFound("challenge") }
        return challenge
    }
}
