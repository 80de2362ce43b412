import ConcordCore
import Fluent
import Vapor

/// The forum's governance on the API: the constitution in force on a day, its versions, the
/// founding adoption, and the offices' holders and history.
struct GovernanceController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let governance = routes.grouped(.constant(Paths.Governance.governance))
        let constitution = governance.grouped(.constant(Paths.Governance.constitution))
        constitution.get(use: inForce)
        constitution.post(use: adopt)
        constitution.get(.constant(Paths.Governance.versions), use: versions)
        governance.get(.constant(Paths.Governance.offices), use: offices)
    }

    /// `?on=YYYY-MM-DD` (default: today, UTC): the version in force that day.
    @Sendable func inForce(req: Request) async throws -> ConstitutionDTO {
        try req.policy.require(.readGovernance)
        let day = try Self.day(req)
        return ConstitutionDTO(try await Constitutions.requireInForce(on: day, db: req.db))
    }

    @Sendable func versions(req: Request) async throws -> [ConstitutionVersionDTO] {
        try req.policy.require(.readGovernance)
        return try await Constitutions.versions(on: req.db).map(ConstitutionVersionDTO.init)
    }

    /// The founding rules, once (the body is the `rules` of `GET …/constitution`).
    @Sendable func adopt(req: Request) async throws -> Response {
        try req.policy.require(.manageGovernance)
        let rules = try req.content.decode(Constitution.self)
        let adopted = try await Constitutions.adoptFounding(rules, caller: req.caller)
        let response = try await ConstitutionDTO(adopted).encodeResponse(status: .created, for: req)
        response.headers.replaceOrAdd(
            name: .location, value: "/\(Paths.api)/\(Paths.Governance.governance)/\(Paths.Governance.constitution)")
        return response
    }

    /// The holders on `?on=` (default today); with `?team=slug`, that team's every term instead.
    @Sendable func offices(req: Request) async throws -> [OfficeTermDTO] {
        try req.policy.require(.readGovernance)
        if let slug = req.query[String.self, at: "team"] {
            let team = try await DirectoryQueries.team(slug: slug, on: req.db)
            return try await Offices.history(of: team.requireID(), db: req.db).map(OfficeTermDTO.init)
        }
        return try await Offices.holders(on: try Self.day(req), db: req.db).map(OfficeTermDTO.init)
    }

    /// The `on` query parameter, or today (UTC); 422 when it is no date.
    static func day(_ req: Request) throws -> CivilDate {
        guard let text = req.query[String.self, at: "on"] else {
            return CivilDate(second: Int64(req.application.clock.now().timeIntervalSince1970))
        }
        guard let day = CivilDate(text) else { throw ConcordError.invalid(field: "on", "must be a date as YYYY-MM-DD") }
        return day
    }
}
