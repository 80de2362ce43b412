import ConcordCore
import Fluent
import Vapor

/// `/governance`: the forum's constitution in force, in sentences, with its versions; the offices'
/// holders today; and, while the forum has none, the secretariat's form to adopt the founding
/// rules (the seeds' forum's, to edit as JSON). Through `Constitutions` and `Offices`, as the API
/// and the command line.
struct GovernanceWebController: RouteCollection {
    struct AdoptForm: Content {
        var rules: String?
    }

    struct Page: Encodable {
        let viewer: WebViewer
        let csrf: String
        let constitution: ConstitutionDTO?
        let versions: [ConstitutionVersionDTO]
        let holders: [OfficeTermDTO]
        let today: String
        let manages: Bool
        /// The founding form's text: the seeds' forum's rules from today, or what was posted.
        let draft: String
        let errors: [ConcordError.FieldError]
        let flash: String?
        let meetings: [MeetingSummaryDTO]
        /// Whether the caller convenes meetings (the form below the list).
        let runsMeetings: Bool
        let votes: [GovernanceVoteSummaryDTO]
        let elections: [ElectionSummaryDTO]
    }

    static let flashKey = "governance-flash"

    func boot(routes: any RoutesBuilder) throws {
        let governance = routes.grouped(.constant(Paths.Governance.governance))
        governance.get(use: show)
        governance.post(.constant(Paths.Governance.constitution), use: adopt)
    }

    @Sendable func show(req: Request) async throws -> Response {
        try req.policy.require(.readGovernance)
        return try await render(req, flash: req.takeFlash(Self.flashKey))
    }

    @Sendable func adopt(req: Request) async throws -> Response {
        try req.policy.require(.manageGovernance)
        let form = try req.content.decode(AdoptForm.self)
        let text = form.rules ?? ""
        do {
            let rules: Constitution
            do {
                rules = try JSONDecoder().decode(Constitution.self, from: Data(text.utf8))
            } catch {
                throw ConcordError.invalid(
                    field: "rules", "is not the constitution's JSON: \(DecodingErrorText.line(error))")
            }
            let adopted = try await Constitutions.adoptFounding(rules, caller: req.caller)
            req.session.data[Self.flashKey] =
                "The founding constitution is adopted, in force from \(adopted.row.effectiveOn)."
            return req.redirect(to: "/\(Paths.Governance.governance)", redirectType: .normal)
        } catch let error as ConcordError where error.code == .validation || error.code == .conflict {
            return try await render(
                req, draft: text, errors: error.formFields,
                status: error.code == .conflict ? .conflict : .unprocessableEntity)
        }
    }

    private func render(
        _ req: Request, draft: String? = nil, errors: [ConcordError.FieldError] = [], flash: String? = nil,
        status: HTTPStatus = .ok
    ) async throws -> Response {
        let today = CivilDate(second: Int64(req.application.clock.now().timeIntervalSince1970))
        let versions = try await Constitutions.versions(on: req.db)
        let inForce = versions.last { CivilDate($0.row.effectiveOn).map { $0 <= today } ?? false }
        let page = Page(
            viewer: try await req.webViewer(), csrf: req.csrfToken, constitution: inForce.map(ConstitutionDTO.init),
            versions: versions.reversed().map(ConstitutionVersionDTO.init),
            holders: try await Offices.holders(on: today, db: req.db).map(OfficeTermDTO.init),
            today: today.description, manages: req.policy.allows(.manageGovernance) && versions.isEmpty,
            draft: try draft ?? Self.pretty(Constitution.seedsForum(effectiveOn: today.description)), errors: errors,
            flash: flash, meetings: try await Meetings.list(caller: req.caller).map(MeetingSummaryDTO.init),
            runsMeetings: req.policy.allows(.runMeetings) && inForce != nil,
            votes: try await GovernanceVotes.list(caller: req.caller).map(GovernanceVoteSummaryDTO.init),
            elections: try await Elections.list(caller: req.caller).map(ElectionSummaryDTO.init))
        return try await req.view.render("governance", page).encodeResponse(status: status, for: req)
    }

    static func pretty(_ rules: Constitution) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return String(decoding: try encoder.encode(rules), as: UTF8.self)
    }
}
