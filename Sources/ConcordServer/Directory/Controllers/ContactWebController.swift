import Fluent
import Vapor

/// The team page's contact forms: add a contact (with an OpenPGP key), mark one verified today,
/// remove one. For the team's admin and the secretariat; every form carries the CSRF token.
struct ContactWebController: RouteCollection {
    /// What the add-contact form posts (checkboxes arrive only when ticked).
    struct ContactForm: Content {
        var kind: String
        var value: String
        var availability: String
        var published: String?
        var pgpKey: String?
    }

    func boot(routes: any RoutesBuilder) throws {
        let contacts = routes.grouped(.constant(Paths.teams), ":team", .constant(Paths.contacts))
        contacts.post(use: add)
        contacts.post(":contact", .constant(Paths.verify), use: verify)
        contacts.post(":contact", .constant(Paths.delete), use: remove)
    }

    @Sendable func add(req: Request) async throws -> Response {
        let team = try await DirectoryQueries.team(slug: req.parameters.get("team") ?? "", on: req.db)
        try req.policy.require(.editTeam(team: team.requireID()))
        let form = try req.content.decode(ContactForm.self)
        guard let kind = Contact.Kind(rawValue: form.kind),
            let availability = Contact.Availability(rawValue: form.availability)
        else {
            throw ConcordError.invalid(field: "kind", "choose a kind and an availability from the lists")
        }
        _ = try await ContactService.create(
            ContactInput(
                kind: kind, value: form.value.trimmingCharacters(in: .whitespaces), availability: availability,
                published: form.published != nil, lastVerifiedOn: ISODate.string(req.application.clock.now()),
                pgpKey: form.pgpKey),
            for: team, caller: req.caller)
        return req.redirect(to: Paths.teamPage(team.slug, at: "contacts"), redirectType: .normal)
    }

    @Sendable func verify(req: Request) async throws -> Response {
        let (team, contact) = try await ContactService.find(
            team: req.parameters.get("team") ?? "", contact: req.parameters.get("contact", as: UUID.self),
            caller: req.caller)
        try req.policy.require(.editTeam(team: team.requireID()))
        try await ContactService.update(
            contact, with: ContactInput(lastVerifiedOn: ISODate.string(req.application.clock.now())), of: team,
            caller: req.caller)
        return req.redirect(to: Paths.teamPage(team.slug, at: "contacts"), redirectType: .normal)
    }

    @Sendable func remove(req: Request) async throws -> Response {
        let (team, contact) = try await ContactService.find(
            team: req.parameters.get("team") ?? "", contact: req.parameters.get("contact", as: UUID.self),
            caller: req.caller)
        try req.policy.require(.editTeam(team: team.requireID()))
        try await ContactService.delete(contact, of: team, caller: req.caller)
        return req.redirect(to: Paths.teamPage(team.slug, at: "contacts"), redirectType: .normal)
    }
}
