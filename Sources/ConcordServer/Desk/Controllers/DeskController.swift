import Vapor

/// `GET /api/v1/desk`: what the caller's team has to do now (see `Desk`).
struct DeskController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(.constant(Paths.desk), use: desk)
    }

    @Sendable func desk(req: Request) async throws -> DeskDTO {
        try req.policy.require(.readDirectory)
        return try await Desk.view(caller: req.caller)
    }
}

/// `GET /desk`: the home page after login, the same figures as the API.
struct DeskWebController: RouteCollection {
    struct Page: Encodable {
        let viewer: WebViewer
        let csrf: String
        let desk: DeskDTO
        let sensors: Bool
    }

    func boot(routes: any RoutesBuilder) throws {
        routes.get(.constant(Paths.desk), use: page)
    }

    @Sendable func page(req: Request) async throws -> View {
        try req.policy.require(.readDirectory)
        let desk = try await Desk.view(caller: req.caller)
        return try await req.view.render(
            "desk",
            Page(viewer: try await req.webViewer(), csrf: req.csrfToken, desk: desk, sensors: desk.surgeAlerts != nil))
    }
}
