import Vapor

/// The teams a report's observables would be routed to, and why, before anything is stored.
enum IncidentPreview {
    static func teams(for input: IncidentInput, request: Request) async throws -> [RoutedTeamDTO] {
        try request.policy.require(.reportIncident)
        let snapshot = try await request.application.routingDirectory.current(on: request.db)
        var validator = FieldValidator()
        validator.check(!input.observables.isEmpty, "observables", "at least one observable is needed")
        let routed = IncidentRouter.route(
            input.observables, economy: input.economy, snapshot: snapshot, validator: &validator)
        try validator.throwIfFailed()
        return routed.teams.map {
            RoutedTeamDTO(
                team: snapshot.teams[$0.id]?.slug ?? "", teamName: snapshot.teams[$0.id]?.shortName ?? "",
                reasons: $0.reasons)
        }
    }
}
