import ConcordCore
import Fluent
import Vapor

/// Health, the OpenAPI document, Prometheus metrics and `me`.
struct SystemController: RouteCollection {
    /// The answer of `/api/v1/health`.
    struct Health: Content {
        let status: String
        let database: String
    }

    /// The answer of `/api/v1/health/ready`: whether this instance should be sent requests.
    struct Readiness: Content {
        let status: String
        let database: String
        /// Migrations this build has that the database has not run (a rolling upgrade in progress).
        let pendingMigrations: Int?
    }

    /// The answer of `/api/v1/me`.
    struct Me: Content {
        let email: String
        let team: String
        let role: Role
        let scopes: [String]?
        /// The caller's own API tokens (never their secrets), so an owner sees what may act as them.
        let tokens: [TokenSummary]
    }

    /// One of the caller's tokens.
    struct TokenSummary: Content {
        let name: String
        let scopes: [String]
        let createdAt: Date?
        let expiresAt: Date?
        let lastUsedAt: Date?
    }

    /// Registers health, OpenAPI and `me` under the API group it is given.
    func boot(routes: any RoutesBuilder) throws {
        routes.get(.constant(Paths.health), use: health)
        routes.get(.constant(Paths.health), .constant(Paths.live), use: live)
        routes.get(.constant(Paths.health), .constant(Paths.ready), use: ready)
        routes.get(.constant(Paths.openAPI), use: openAPI)
        routes.get(.constant(Paths.me), use: me)
    }

    @Sendable func health(req: Request) async throws -> Response {
        let kind = req.application.concord.database.kind
        do {
            _ = try await Economy.query(on: req.db).count()
            return try await Health(status: "ok", database: kind).encodeResponse(for: req)
        } catch {
            req.logger.warning("health check: database unreachable")
            return try await Health(status: "unavailable", database: kind).encodeResponse(
                status: .serviceUnavailable, for: req)
        }
    }

    /// Liveness: the process answers. It asks nothing of the database, so a balancer or a
    /// supervisor never restarts an instance for the database's sake.
    @Sendable func live(req: Request) async throws -> [String: String] { ["status": "ok"] }

    /// Readiness: the database answers and has every migration this build knows; otherwise 503,
    /// and the balancer sends the requests to another instance.
    @Sendable func ready(req: Request) async throws -> Response {
        let kind = req.application.concord.database.kind
        let pending: Int
        do {
            _ = try await Economy.query(on: req.db).count()
            pending = try await StartupLock.pendingMigrations(req.application)
        } catch {
            req.logger.warning("readiness check: database unreachable")
            return try await Readiness(status: "unavailable", database: kind, pendingMigrations: nil)
                .encodeResponse(status: .serviceUnavailable, for: req)
        }
        let ready = pending == 0
        return try await Readiness(
            status: ready ? "ok" : "migrations-pending", database: kind, pendingMigrations: pending
        )
        .encodeResponse(status: ready ? .ok : .serviceUnavailable, for: req)
    }

    @Sendable func openAPI(req: Request) async throws -> Response {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "yaml", subdirectory: "Resources"),
            let data = FileManager.default.contents(atPath: url.path)
        else { throw ConcordError(.unavailable, "the OpenAPI document is missing from this build") }
        var headers = HTTPHeaders()
        headers.contentType = HTTPMediaType(type: "application", subType: "yaml")
        return Response(status: .ok, headers: headers, body: .init(data: data))
    }

    @Sendable func me(req: Request) async throws -> Me {
        guard let principal = req.auth.get(Principal.self) else { throw ConcordError.unauthenticated }
        guard let team = try await Team.find(principal.teamID, on: req.db) else { throw ConcordError.notFound("team") }
        let tokens = try await APIToken.query(on: req.db).filter(\.$user.$id == principal.userID)
            .sort(\.$createdAt, .descending).all()
        return Me(
            email: principal.email, team: team.slug, role: principal.role,
            scopes: principal.scopes.map { $0.map(\.rawValue).sorted() },
            tokens: tokens.map {
                TokenSummary(
                    name: $0.name, scopes: $0.scopeSet.map(\.rawValue).sorted(), createdAt: $0.createdAt,
                    expiresAt: $0.expiresAt, lastUsedAt: $0.lastUsedAt)
            })
    }

    /// Whether a server bound to `hostname` answers this machine only.
    static func listensOnLoopbackOnly(_ hostname: String) -> Bool { LocalHost.isThisMachine(hostname) }

    @Sendable func metrics(req: Request) async throws -> Response {
        if let token = req.application.concord.metricsToken {
            guard let given = req.headers.bearerAuthorization?.token,
                Array(SHA256.hash(data: Data(given.utf8))) == Array(SHA256.hash(data: Data(token.utf8)))
            else { throw ConcordError.unauthenticated }
        } else if !Self.listensOnLoopbackOnly(req.application.http.server.configuration.hostname) {
            // Open metrics only where nobody else can reach them.
            throw ConcordError(
                .forbidden,
                "/metrics needs CONCORD_METRICS_TOKEN when the server listens beyond loopback")
        }
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: "text/plain; version=0.0.4; charset=utf-8")
        return Response(
            status: .ok, headers: headers, body: .init(string: req.application.metricsRegistry.emitToString()))
    }
}
