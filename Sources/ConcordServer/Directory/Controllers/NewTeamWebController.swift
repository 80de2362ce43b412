import Fluent
import Vapor

/// `/admin/teams/new`: a new member team in the browser (issue 17 §5), for the forum-wide roles,
/// through the same `TeamService.create` as `POST /api/v1/teams`. A refused field is named beside
/// it with everything typed kept; a created team opens on its page, ready for contacts and its
/// constituency.
struct NewTeamWebController: RouteCollection {
    /// What the form posts; empty fields arrive as empty strings.
    struct Form: Content {
        var slug: String?
        var shortName: String?
        var fullName: String?
        var economy: String?
        var category: String?
        var hostOrganisation: String?
        var website: String?
        var joinedOn: String?
        var timeZone: String?
    }

    struct Page: Encodable {
        let viewer: WebViewer
        let csrf: String
        let economies: [EconomyDTO]
        let categories: [CategoryDTO]
        let form: Form
        /// Each refused field's message, by the form's field name.
        let errors: [String: String]
        let errorCount: Int
    }

    func boot(routes: any RoutesBuilder) throws {
        let page = routes.grouped(.constant(Paths.admin), .constant(Paths.teams), .constant(Paths.newIncident))
        page.get(use: form)
        page.post(use: create)
    }

    @Sendable func form(req: Request) async throws -> Response {
        try req.policy.require(.manageTeams)
        return try await render(req, form: Form(joinedOn: ISODate.string(req.application.clock.now())))
    }

    @Sendable func create(req: Request) async throws -> Response {
        try req.policy.require(.manageTeams)
        let form = try req.content.decode(Form.self)
        do {
            let team = try await TeamService.create(Self.input(form), caller: req.caller)
            req.session.data[DirectoryWebController.flashKey] =
                "\(team.shortName) joined the directory. Add its 24/7 contacts and its constituency so reports reach it."
            return req.redirect(to: Paths.teamPage(team.slug), redirectType: .normal)
        } catch let error as ConcordError where error.code == .validation || error.code == .conflict {
            var errors: [String: String] = [:]
            for field in error.fields { errors[field.field, default: ""] += field.detail }
            if errors.isEmpty { errors["slug"] = error.detail }
            return try await render(
                req, form: form, errors: errors, status: error.code == .conflict ? .conflict : .unprocessableEntity)
        }
    }

    /// The form as the API's input: empty optional fields are left out rather than refused.
    static func input(_ form: Form) -> TeamInput {
        func given(_ text: String?) -> String? {
            guard let text = text?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
            return text
        }
        var input = TeamInput()
        input.slug = given(form.slug)
        input.shortName = given(form.shortName)
        input.fullName = given(form.fullName)
        input.economy = given(form.economy)
        input.category = given(form.category)
        input.hostOrganisation = given(form.hostOrganisation)
        input.website = given(form.website)
        input.joinedOn = given(form.joinedOn)
        input.timeZone = given(form.timeZone)
        return input
    }

    private func render(
        _ req: Request, form: Form, errors: [String: String] = [:], status: HTTPStatus = .ok
    ) async throws -> Response {
        let page = Page(
            viewer: try await req.webViewer(), csrf: req.csrfToken,
            economies: try await Economy.query(on: req.db).sort(\.$name).all().map(EconomyDTO.init),
            categories: try await MembershipCategory.query(on: req.db).sort(\.$slug).all().map(CategoryDTO.init),
            form: form, errors: errors, errorCount: errors.count)
        return try await req.view.render("team-new", page).encodeResponse(status: status, for: req)
    }
}
