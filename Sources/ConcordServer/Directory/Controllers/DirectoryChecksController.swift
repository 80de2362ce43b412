import Vapor

/// `GET /api/v1/directory-checks`: the findings of `DirectoryChecks`, for every member.
struct DirectoryChecksController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(.constant(Paths.checks), use: checks)
    }

    @Sendable func checks(req: Request) async throws -> [DirectoryChecks.Finding] {
        try await DirectoryChecks.findings(policy: req.policy, on: req.db, now: req.application.clock.now())
    }
}
