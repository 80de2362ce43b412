import Vapor

/// The team page's constituency forms (issue 17 §5): add a prefix, AS number or domain, remove an
/// entry behind a confirmation. For the team's admin and the forum-wide roles, through the same
/// service as the API; a refused value is shown in place on the team page with what was typed, and
/// every change says what it did.
struct ConstituencyWebController: RouteCollection {
    /// What both forms post.
    struct ItemForm: Content {
        var kind: String?
        var value: String?
    }

    func boot(routes: any RoutesBuilder) throws {
        let constituency = routes.grouped(.constant(Paths.teams), ":team", .constant(Paths.constituency))
        constituency.post(use: add)
        constituency.post(.constant(Paths.delete), use: remove)
    }

    @Sendable func add(req: Request) async throws -> Response {
        let slug = req.parameters.get("team") ?? ""
        try await Self.requireEditor(of: slug, req)
        let form = try req.content.decode(ItemForm.self)
        let value = (form.value ?? "").trimmingCharacters(in: .whitespaces)
        do {
            guard let kind = form.kind.flatMap(ConstituencyEntry.Kind.init(rawValue:)), kind != .economy else {
                throw ConcordError.invalid(field: "kind", "choose an IP prefix, an AS number or a domain")
            }
            guard !value.isEmpty else { throw ConcordError.invalid(field: "value", "type the \(Self.noun(kind))") }
            let change = try await ConstituencyService.add(
                ConstituencyItemInput(kind: kind, value: value), to: slug, caller: req.caller)
            req.session.data[DirectoryWebController.flashKey] =
                "Added \(Self.noun(change.kind)) \(Self.shown(change)); reports for it now route to \(change.team.shortName)."
            return req.redirect(to: Paths.teamPage(slug, at: Paths.constituency), redirectType: .normal)
        } catch let error as ConcordError where error.code == .validation || error.code == .conflict {
            let detail = error.fields.map(\.detail).joined(separator: "; ")
            let message = (value.isEmpty ? "" : "\(value): ") + (detail.isEmpty ? error.detail : detail)
            return try await DirectoryWebController.renderTeam(
                slug, req, constituencyError: message, kind: form.kind ?? "prefix", value: value,
                status: error.code == .conflict ? .conflict : .unprocessableEntity)
        }
    }

    @Sendable func remove(req: Request) async throws -> Response {
        let slug = req.parameters.get("team") ?? ""
        try await Self.requireEditor(of: slug, req)
        let form = try req.content.decode(ItemForm.self)
        let change = try await ConstituencyService.remove(
            kind: form.kind.flatMap(ConstituencyEntry.Kind.init(rawValue:)), value: form.value, from: slug,
            caller: req.caller)
        req.session.data[DirectoryWebController.flashKey] =
            "Removed \(Self.noun(change.kind)) \(Self.shown(change)) from \(change.team.shortName)'s constituency."
        return req.redirect(to: Paths.teamPage(slug, at: Paths.constituency), redirectType: .normal)
    }

    /// 401/403 before the form is read, as the route table expects.
    private static func requireEditor(of slug: String, _ req: Request) async throws {
        let team = try await DirectoryQueries.team(slug: slug, on: req.db)
        try req.policy.require(.editTeam(team: team.requireID()))
    }

    private static func noun(_ kind: ConstituencyEntry.Kind) -> String {
        switch kind {
        case .prefix: "IP prefix"
        case .asn: "AS number"
        case .domain: "domain"
        case .economy: "national responsibility"
        }
    }

    private static func shown(_ change: ConstituencyService.Change) -> String {
        change.kind == .asn ? "AS\(change.value)" : change.value
    }
}
