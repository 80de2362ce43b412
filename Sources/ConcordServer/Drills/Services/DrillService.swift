import ConcordCore
import Fluent
import Foundation

/// Exercise control's work on a drill, for the API and the pages alike: which drill a caller may
/// see, control commands, and the after-action report as the caller may read it.
enum DrillService {
    /// The drill `id`, if the caller may see it (404 otherwise, so drills stay unlisted).
    static func visible(_ id: UUID?, caller: Caller) async throws -> (Drill, DrillParties) {
        try caller.policy.require(.readDirectory)
        guard let id, let drill = try await Drill.find(id, on: caller.db) else { throw ConcordError.notFound("drill") }
        let parties = try await parties(of: drill, on: caller.db)
        guard caller.policy.allows(.readDrill(parties)) else { throw ConcordError.notFound("drill") }
        return (drill, parties)
    }

    /// Who takes part in `drill`, by part.
    static func parties(of drill: Drill, on db: any Database) async throws -> DrillParties {
        parties(from: try await DrillParticipant.query(on: db).filter(\.$drillID == drill.requireID()).all())
    }

    /// The parties of a drill whose participants are `participants`.
    static func parties(from participants: [DrillParticipant]) -> DrillParties {
        func teams(_ part: DrillParticipant.Part) -> Set<UUID> {
            Set(participants.filter { $0.part == part }.map(\.teamID))
        }
        return DrillParties(players: teams(.player), observers: teams(.observer), control: teams(.control))
    }

    /// Exercise control's command (release, skip, pause, resume, finish), audited. The caller has
    /// been allowed to control the drill (`Policy.Permission.controlDrill`).
    static func command(_ input: DrillControlInput, to drill: Drill, caller: Caller) async throws {
        let now = caller.app.drillClock.now()
        switch input.action {
        case "release", "skip":
            guard let key = input.inject, !key.isEmpty else {
                throw ConcordError.invalid(field: "inject", "is required to \(input.action)")
            }
            try await DrillControl.inject(
                key, release: input.action == "release", in: drill, at: now, mailedAt: caller.clock.now(),
                on: caller.db)
        default:
            guard let command = DrillControl.Command(rawValue: input.action) else {
                throw ConcordError.invalid(field: "action", "must be pause, resume, finish, release or skip")
            }
            try await DrillControl.apply(command, to: drill, at: now, on: caller.db)
        }
        try await AuditLog.record(
            "drill.\(input.action)", targetType: "drill", targetID: drill.id?.uuidString,
            summary: "\(drill.title): \(input.action) \(input.inject ?? "")", caller: caller, on: caller.db)
    }

    /// The after-action report as the caller may see it (every team's rows for exercise control,
    /// its own team's for a player), with `thresholds` in minutes (`15,60`).
    static func report(_ drill: Drill, parties: DrillParties, thresholds: String?, caller: Caller) async throws
        -> DrillReportDTO
    {
        try await DrillReport.build(
            drill, rowsOf: try rows(of: caller, parties), thresholds: try DrillReport.thresholds(thresholds),
            at: caller.app.drillClock.now(), on: caller.db)
    }

    /// Whose rows the caller sees: everybody's (exercise control), its own team's (a player), or
    /// nobody's (an observer).
    static func rows(of caller: Caller, _ parties: DrillParties) throws -> Set<UUID>? {
        if caller.policy.allows(.readDrillTimes(parties)) { return nil }
        return [try caller.requirePrincipal().teamID]
    }

    /// A player's action as the API and the page give it, checked.
    static func playerResponse(_ input: DrillResponseInput) throws -> DrillResponse {
        switch input.kind {
        case "acknowledge":
            return .acknowledge
        case "report-incident":
            let observables = input.observables ?? []
            var validator = FieldValidator()
            validator.check(!observables.isEmpty, "observables", "must name at least one observable")
            for (index, value) in observables.enumerated() {
                validator.check(Observable.detect(value) != nil, "observables[\(index)]", "is not an observable")
            }
            try validator.throwIfFailed()
            return .reportIncident(observables: observables)
        case "hand-over":
            guard let team = input.team, !team.isEmpty else { throw ConcordError.invalid(field: "team", "is required") }
            return .handOver(team: team)
        case "answer", "comment":
            guard let text = input.text, !text.trimmingCharacters(in: .whitespaces).isEmpty, text.count <= 10_000 else {
                throw ConcordError.invalid(field: "text", "must be 1 to 10,000 characters")
            }
            return input.kind == "answer" ? .answer(text) : .comment(text)
        default:
            throw ConcordError.invalid(
                field: "kind", "must be acknowledge, report-incident, hand-over, answer or comment")
        }
    }
}
