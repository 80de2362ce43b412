import Vapor

/// `/ack/{token}`: the page an acknowledgement link opens, and its button.
struct AcknowledgementLinkController: RouteCollection {
    struct Page: Encodable {
        let csrf: String
        let token: String
        let incident: String
        let team: String
        let recipient: String
        let refusal: String?
        let done: Bool
    }

    func boot(routes: any RoutesBuilder) throws {
        routes.get(.constant(Paths.Notifications.acknowledge), ":token", use: show)
        routes.post(.constant(Paths.Notifications.acknowledge), ":token", use: acknowledge)
    }

    @Sendable func show(req: Request) async throws -> Response {
        let target = try await target(req)
        return try await render(
            target, refusal: AcknowledgementLinks.refusal(target, at: req.application.clock.now()), done: false, req)
    }

    @Sendable func acknowledge(req: Request) async throws -> Response {
        let target = try await target(req)
        do {
            try await AcknowledgementLinks.acknowledge(target, at: req.application.clock.now(), caller: req.caller)
        } catch let error as ConcordError where error.code == .conflict {
            return try await render(target, refusal: error.detail, done: false, req, status: .conflict)
        }
        return try await render(target, refusal: nil, done: true, req)
    }

    private func target(_ req: Request) async throws -> AcknowledgementLinks.Target {
        try await AcknowledgementLinks.target(
            token: req.parameters.get("token") ?? "", on: req.db, secret: req.application.serverSecret)
    }

    private func render(
        _ target: AcknowledgementLinks.Target, refusal: String?, done: Bool, _ req: Request,
        status: HTTPResponseStatus = .ok
    ) async throws -> Response {
        let page = Page(
            csrf: req.csrfToken, token: req.parameters.get("token") ?? "", incident: target.incidentNumber,
            team: target.teamName, recipient: target.link.recipient, refusal: refusal, done: done)
        return try await req.view.render("acknowledge", page).encodeResponse(status: status, for: req)
    }
}
