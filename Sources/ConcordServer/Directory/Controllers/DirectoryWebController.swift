import ConcordCore
import Fluent
import Vapor

/// The directory's web pages: search, team, economy, and the team edit form.
struct DirectoryWebController: RouteCollection {
    struct IndexPage: Encodable {
        let viewer: WebViewer
        let csrf: String
        let query: String
        let economy: String
        let economies: [EconomyDTO]
        let teams: [TeamSummaryDTO]
        let findings: [DirectoryChecks.Finding]
        let searched: Bool
        /// The routing answer when the search is an address, AS number or domain.
        let lookup: LookupCard?
        /// Why the search is no address, AS number or domain though it looks like one.
        let lookupError: String?
        /// Whether to say how many teams match (a search that was refused says why instead).
        let showCount: Bool
    }

    struct TeamPage: Encodable {
        let viewer: WebViewer
        let csrf: String
        let team: TeamDTO
        let canEdit: Bool
        let economyCode: String
        /// What the last change on this page did ("Added 203.0.113.0/24 …").
        let flash: String?
        /// The constituency form refused, in place: why, and what was typed.
        let constituencyError: String?
        let constituencyKind: String
        let constituencyValue: String
        /// Whether the team lists any prefix, AS number or domain.
        let hasNetworkItems: Bool
        /// The forum's offices the team has held, newest first.
        let offices: [OfficeTermDTO]
    }

    struct EditPage: Encodable {
        let viewer: WebViewer
        let csrf: String
        let team: TeamDTO
        let errors: [ConcordError.FieldError]
        let saved: Bool
    }

    struct EconomyPage: Encodable {
        let viewer: WebViewer
        let csrf: String
        let economy: EconomyDTO
        let teams: [TeamSummaryDTO]
        let nationalTeams: [String]
    }

    /// What the edit form posts.
    struct EditForm: Content {
        var fullName: String?
        var hostOrganisation: String?
        var website: String?
        var businessHours: String?
        var timeZone: String?
        var description: String?
        var internalNotes: String?
        var rfc2350Services: String?
        var rfc2350Policies: String?
    }

    func boot(routes: any RoutesBuilder) throws {
        routes.get(use: index)
        routes.get(.constant(Paths.teams), ":team", use: team)
        routes.get(.constant(Paths.teams), ":team", .constant(Paths.edit), use: editForm)
        routes.post(.constant(Paths.teams), ":team", .constant(Paths.edit), use: edit)
        routes.get(.constant(Paths.economies), ":economy", use: economy)
        // The team page's downloads, for a browser's session (the API's answer bearer tokens only).
        let exchange = DirectoryExchangeController()
        routes.get(.constant(Paths.teams), ":team", .constant(Paths.rfc2350), use: exchange.rfc2350)
        routes.get(.constant(Paths.teams), ":team", .constant(Paths.vCard), use: exchange.vCard)
    }

    @Sendable func index(req: Request) async throws -> View {
        try req.policy.require(.readDirectory)
        let query = req.query[String.self, at: "q"] ?? ""
        let economy = req.query[String.self, at: "economy"] ?? ""
        let teams = try await DirectorySearch.teams(matching: query, economy: economy, caller: req.caller)
        let text = query.trimmingCharacters(in: .whitespaces)
        var lookup: LookupCard?
        var lookupError: String?
        if LookupCard.isNetworkValue(text), req.policy.allows(.lookup) {
            switch LookupCard.parse(text) {
            case .success(let routing):
                lookup = try await LookupCard.make(
                    routing, economy: economy.isEmpty ? nil : economy,
                    snapshot: try await req.application.routingDirectory.current(on: req.db),
                    mayReport: req.policy.allows(.reportIncident), now: req.application.clock.now(), on: req.db)
            case .failure(let refusal):
                lookupError = refusal.message
            }
        }
        let page = IndexPage(
            viewer: try await req.webViewer(), csrf: req.csrfToken, query: query, economy: economy,
            economies: try await Economy.query(on: req.db).sort(\.$name).all().map(EconomyDTO.init),
            teams: try teams.map(TeamSummaryDTO.init),
            findings: query.isEmpty && economy.isEmpty
                ? try await DirectoryChecks.findings(policy: req.policy, on: req.db, now: req.application.clock.now())
                : [],
            searched: !query.isEmpty || !economy.isEmpty, lookup: lookup, lookupError: lookupError,
            showCount: (!query.isEmpty || !economy.isEmpty) && lookupError == nil)
        return try await req.view.render("directory", page)
    }

    @Sendable func team(req: Request) async throws -> Response {
        try req.policy.require(.readDirectory)
        let flash = req.session.data[Self.flashKey]
        if flash != nil { req.session.data[Self.flashKey] = nil }
        return try await Self.renderTeam(req.parameters.get("team") ?? "", req, flash: flash)
    }

    /// The session key of the message the team page shows once after a change.
    static let flashKey = "team-flash"

    /// The team page, with a message after a change or the constituency form's error in place.
    static func renderTeam(
        _ slug: String, _ req: Request, flash: String? = nil, constituencyError: String? = nil,
        kind: String = "prefix", value: String = "", status: HTTPStatus = .ok
    ) async throws -> Response {
        let team = try await DirectoryQueries.team(slug: slug, on: req.db)
        let dto = try TeamDTO(team, policy: req.policy)
        let page = TeamPage(
            viewer: try await req.webViewer(), csrf: req.csrfToken, team: dto,
            canEdit: req.policy.allows(.editTeam(team: dto.id)),
            economyCode: dto.economy.isoCode ?? dto.economy.id.uuidString, flash: flash,
            constituencyError: constituencyError, constituencyKind: kind, constituencyValue: value,
            hasNetworkItems: !(dto.constituency.prefixes + dto.constituency.asns + dto.constituency.domains).isEmpty,
            offices: try await Offices.history(of: dto.id, db: req.db).map(OfficeTermDTO.init))
        return try await req.view.render("team", page).encodeResponse(status: status, for: req)
    }

    @Sendable func editForm(req: Request) async throws -> View {
        let team = try await DirectoryQueries.team(slug: req.parameters.get("team") ?? "", on: req.db)
        try req.policy.require(.editTeam(team: team.requireID()))
        return try await req.view.render(
            "team-edit",
            EditPage(
                viewer: try await req.webViewer(), csrf: req.csrfToken, team: try TeamDTO(team, policy: req.policy),
                errors: [], saved: false))
    }

    @Sendable func edit(req: Request) async throws -> Response {
        let team = try await DirectoryQueries.team(slug: req.parameters.get("team") ?? "", on: req.db)
        try req.policy.require(.editTeam(team: team.requireID()))
        let form = try req.content.decode(EditForm.self)
        var input = TeamInput()
        input.fullName = form.fullName
        input.hostOrganisation = form.hostOrganisation
        input.website = form.website.flatMap { $0.isEmpty ? nil : $0 }
        input.businessHours = form.businessHours
        input.timeZone = form.timeZone
        input.description = form.description
        input.internalNotes = form.internalNotes
        input.rfc2350 = RFC2350DTO(policies: form.rfc2350Policies, services: form.rfc2350Services)
        do {
            try input.validate(creating: false)
        } catch let error as ConcordError {
            let page = EditPage(
                viewer: try await req.webViewer(), csrf: req.csrfToken, team: try TeamDTO(team, policy: req.policy),
                errors: error.fields, saved: false)
            return try await req.view.render("team-edit", page).encodeResponse(status: .unprocessableEntity, for: req)
        }
        try await TeamWriter.apply(input, to: team, on: req.db)
        try await req.db.writeTransaction { db in
            try await team.save(on: db)
            try await AuditLog.record(
                "team.update", targetType: "team", targetID: team.slug,
                summary: "updated \(team.shortName) on the web", caller: req.caller, on: db)
        }
        try await req.application.routingDirectory.rebuild(on: req.db)
        return req.redirect(to: Paths.teamPage(team.slug), redirectType: .normal)
    }

    @Sendable func economy(req: Request) async throws -> View {
        try req.policy.require(.readDirectory)
        let economy = try await DirectoryQueries.economy(req.parameters.get("economy") ?? "", on: req.db)
        let id = try economy.requireID()
        let teams = try await Team.query(on: req.db).filter(\.$economy.$id == id).with(\.$economy).with(\.$category)
            .sort(\.$shortName).all()
        let snapshot = try await req.application.routingDirectory.current(on: req.db)
        let national = snapshot.table.nationalTeams(of: id.uuidString).compactMap { snapshot.teams[$0]?.shortName }
        return try await req.view.render(
            "economy",
            EconomyPage(
                viewer: try await req.webViewer(), csrf: req.csrfToken, economy: try EconomyDTO(economy),
                teams: try teams.map(TeamSummaryDTO.init), nationalTeams: national))
    }

}

/// `/static/…`: the stylesheet, from the bundle.
struct StaticController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let files = routes.grouped(.constant(Paths.staticFiles))
        files.get(.constant(Paths.stylesheet)) { req in try Self.file(req, "concord", "css", .css) }
        files.get(.constant(Paths.drillBoardScript)) { req in
            try Self.file(req, "drill-board", "js", HTTPMediaType(type: "text", subType: "javascript"))
        }
        files.get(.constant(Paths.countdownScript)) { req in
            try Self.file(req, "countdown", "js", HTTPMediaType(type: "text", subType: "javascript"))
        }
    }

    /// A file of `Resources/Static`, cached for an hour.
    static func file(_ req: Request, _ name: String, _ type: String, _ media: HTTPMediaType) throws -> Response {
        guard
            let url = Bundle.module.url(forResource: name, withExtension: type, subdirectory: "Resources/Static"),
            let data = FileManager.default.contents(atPath: url.path)
        else { throw ConcordError.notFound("\(name).\(type)") }
        var headers = HTTPHeaders()
        headers.contentType = media
        headers.replaceOrAdd(name: .cacheControl, value: "public, max-age=3600")
        return Response(status: .ok, headers: headers, body: .init(data: data))
    }
}
