import ConcordCore
import Fluent
import Vapor

/// `/api/v1/incidents`: report (with a routing preview), list, show, work an assignment, close.
struct IncidentController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let incidents = routes.grouped("incidents")
        incidents.get(use: list)
        incidents.post(use: report)
        incidents.post("preview", use: preview)
        incidents.get(":incident", use: show)
        incidents.post(":incident", "assignments", ":team", use: assignmentEvent)
        incidents.post(":incident", "close", use: close)
    }

    @Sendable func list(req: Request) async throws -> [IncidentSummaryDTO] {
        let limit = min(max(req.query[Int.self, at: "limit"] ?? 100, 1), 1000)
        return try await IncidentQueries.visibleList(limit: limit, request: req).map(IncidentQueries.summary)
    }

    /// The teams the observables would go to, and why, before anything is stored.
    @Sendable func preview(req: Request) async throws -> [RoutedTeamDTO] {
        try req.policy.require(.reportIncident)
        let input = try req.content.decode(IncidentInput.self)
        let snapshot = try await req.application.routingDirectory.current(on: req.db)
        var validator = FieldValidator()
        let routed = IncidentRouter.route(
            input.observables, economy: input.economy, snapshot: snapshot, validator: &validator)
        try validator.throwIfFailed()
        return routed.teams.map {
            RoutedTeamDTO(
                team: snapshot.teams[$0.id]?.slug ?? "", teamName: snapshot.teams[$0.id]?.shortName ?? "",
                reasons: $0.reasons)
        }
    }

    @Sendable func report(req: Request) async throws -> Response {
        try req.policy.require(.reportIncident)
        let incident = try await IncidentService.report(try req.content.decode(IncidentInput.self), request: req)
        let stored = try await IncidentQueries.visible(incident.number, request: req)
        return try await IncidentQueries.detail(stored).encodeResponse(status: .created, for: req)
    }

    @Sendable func show(req: Request) async throws -> IncidentDTO {
        IncidentQueries.detail(try await IncidentQueries.visible(req.parameters.get("incident") ?? "", request: req))
    }

    @Sendable func assignmentEvent(req: Request) async throws -> IncidentDTO {
        let incident = try await IncidentQueries.visible(req.parameters.get("incident") ?? "", request: req)
        let slug = req.parameters.get("team") ?? ""
        guard let team = incident.assignments.first(where: { $0.team.slug == slug })?.team else {
            throw ConcordError.notFound("assignment of '\(slug)'")
        }
        try req.policy.require(.workAssignment(team: try team.requireID()))
        let event = try req.content.decode(AssignmentEventInput.self).procedureEvent()
        try await IncidentService.apply(event, to: incident, team: team, request: req)
        return IncidentQueries.detail(try await IncidentQueries.visible(incident.number, request: req))
    }

    @Sendable func close(req: Request) async throws -> IncidentDTO {
        let incident = try await IncidentQueries.visible(req.parameters.get("incident") ?? "", request: req)
        try await IncidentService.close(incident, request: req)
        return IncidentQueries.detail(try await IncidentQueries.visible(incident.number, request: req))
    }
}
