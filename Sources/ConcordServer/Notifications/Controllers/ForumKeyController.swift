import Vapor

/// `GET /api/v1/forum-key`: the public key that signs Concord's notifications, for anyone to import.
struct ForumKeyController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(.constant(Paths.Notifications.forumKey), use: show)
    }

    @Sendable func show(req: Request) async throws -> ForumKeyDTO {
        let key = ForumKey(req.application.concord, gnupg: req.application.gnupg)
        return ForumKeyDTO(fingerprint: try await key.fingerprint(), publicKey: try await key.publicKey())
    }
}
