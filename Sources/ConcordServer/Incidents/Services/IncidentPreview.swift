import Vapor

/// The teams a report's observables would be routed to, and why, before anything is stored.
enum IncidentPreview {
    /// `input` is read after the policy allowed the caller to report.
    static func teams(for readInput: @autoclosure () throws -> IncidentInput, caller: Caller) async throws
        -> [RoutedTeamDTO]
    {
        try caller.policy.require(.reportIncident)
        let input = try readInput()
        let snapshot = try await caller.app.routingDirectory.current(on: caller.db)
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
