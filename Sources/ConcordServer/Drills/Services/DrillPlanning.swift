import Fluent
import Foundation

/// Plans a run of a library scenario for exercise control, from the API (`POST /api/v1/drills`)
/// and the library page alike: the scenario must exist, each participant's part be player,
/// observer or control, and the start be given once (a time, or seconds from now on the drill
/// clock, at most 30 days ahead) unless the scenario has its own.
enum DrillPlanning {
    static func plan(_ input: DrillInput, caller: Caller) async throws -> Drill {
        let principal = try caller.requirePrincipal()
        try caller.policy.require(.manageDrills)
        guard let record = try await DrillScenarioRecord.find(input.scenario, on: caller.db) else {
            throw ConcordError.invalid(field: "scenario", "no such scenario in the library")
        }
        var validator = FieldValidator()
        let participants = input.participants?.enumerated().compactMap { index, given -> DrillPlanner.Participant? in
            guard let part = DrillParticipant.Part(rawValue: given.part ?? "player") else {
                validator.fail("participants[\(index)].part", "must be player, observer or control")
                return nil
            }
            return DrillPlanner.Participant(slug: given.team, part: part, partner: given.partner ?? false)
        }
        let now = caller.app.drillClock.now()
        if let seconds = input.startsInSeconds {
            validator.check(
                (0...(30 * 86_400)).contains(seconds), "startsInSeconds", "must be between 0 and 30 days")
            validator.check(input.start == nil, "startsInSeconds", "give start or startsInSeconds, not both")
        }
        try validator.throwIfFailed()
        let start = input.start ?? input.startsInSeconds.map { now.addingTimeInterval(TimeInterval($0)) }
        return try await DrillPlanner.create(
            scenario: record, title: input.title, start: start, participants: participants, by: principal.userID,
            at: now, on: caller.db)
    }
}
