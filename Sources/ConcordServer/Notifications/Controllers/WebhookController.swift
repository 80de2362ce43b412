import Fluent
import Vapor

/// `/api/v1/teams/{team}/webhook`: where a team wants notifications POSTed. Setting it (again)
/// rotates the HMAC secret, which is shown in that answer only.
struct WebhookController: RouteCollection {
    static let signatureScheme = "HMAC-SHA256 over \"<X-Concord-Timestamp>.<body>\", hex in X-Concord-Signature"

    func boot(routes: any RoutesBuilder) throws {
        let webhook = routes.grouped(.constant(Paths.teams), ":team", .constant(Paths.Notifications.webhook))
        webhook.get(use: show)
        webhook.put(use: replace)
        webhook.delete(use: remove)
    }

    @Sendable func show(req: Request) async throws -> WebhookDTO {
        let team = try await editableTeam(req)
        guard let webhook = try await TeamWebhook.query(on: req.db).filter(\.$team.$id == team.requireID()).first()
        else { throw ConcordError.notFound("webhook of \(team.shortName)") }
        return WebhookDTO(
            url: webhook.url, secretVersion: webhook.secretVersion, secret: nil, signature: Self.signatureScheme)
    }

    @Sendable func replace(req: Request) async throws -> WebhookDTO {
        let team = try await editableTeam(req)
        let input = try req.content.decode(WebhookInput.self)
        let url = input.url.trimmingCharacters(in: .whitespaces)
        try Self.validate(url, allowHTTP: req.application.concord.mail.allowPlainHTTPWebhooks)
        try WebhookDestination.checkAtSave(url, allowed: req.application.concord.mail.webhookAllowedRanges)
        let teamID = try team.requireID()
        let webhook =
            try await TeamWebhook.query(on: req.db).filter(\.$team.$id == teamID).first() ?? TeamWebhook()
        webhook.$team.id = teamID
        webhook.url = url
        webhook.secretVersion = (webhook.id == nil ? 0 : webhook.secretVersion) + 1
        try await req.db.writeTransaction { db in
            try await webhook.save(on: db)
            try await AuditLog.record(
                "team.webhook", targetType: "team", targetID: team.slug,
                summary: "webhook set, secret version \(webhook.secretVersion)", caller: req.caller, on: db)
        }
        return WebhookDTO(
            url: url, secretVersion: webhook.secretVersion,
            secret: req.application.serverSecret.webhookSecret(team: teamID, version: webhook.secretVersion),
            signature: Self.signatureScheme)
    }

    @Sendable func remove(req: Request) async throws -> HTTPStatus {
        let team = try await editableTeam(req)
        guard let webhook = try await TeamWebhook.query(on: req.db).filter(\.$team.$id == team.requireID()).first()
        else { throw ConcordError.notFound("webhook of \(team.shortName)") }
        try await req.db.writeTransaction { db in
            try await webhook.delete(on: db)
            try await AuditLog.record(
                "team.webhook", targetType: "team", targetID: team.slug, summary: "webhook removed", caller: req.caller,
                on: db)
        }
        return .noContent
    }

    private func editableTeam(_ req: Request) async throws -> Team {
        try req.policy.require(.readDirectory)
        let team = try await DirectoryQueries.team(slug: req.parameters.get("team") ?? "", on: req.db)
        try req.policy.require(.editTeam(team: team.requireID()))
        return team
    }

    /// An absolute https address (http only when the forum allows it), with a host and no credentials.
    static func validate(_ url: String, allowHTTP: Bool) throws {
        guard let parts = URLComponents(string: url), let scheme = parts.scheme?.lowercased(),
            let host = parts.host, !host.isEmpty
        else { throw ConcordError.invalid(field: "url", "must be an absolute address such as https://host/path") }
        guard scheme == "https" || (scheme == "http" && allowHTTP) else {
            throw ConcordError.invalid(
                field: "url", allowHTTP ? "must start with https:// or http://" : "must start with https://")
        }
        guard parts.user == nil, parts.password == nil else {
            throw ConcordError.invalid(field: "url", "must not carry a user name or password")
        }
    }
}
