import ConcordCore
import Fluent
import Foundation

/// Makes a drill of a library scenario: its start, its teams and their parts, and one inject row
/// for each of the scenario's injects, all written in one transaction.
enum DrillPlanner {
    /// A team and its part, as exercise control chooses them.
    struct Participant: Sendable {
        let slug: String
        let part: DrillParticipant.Part
        let partner: Bool
    }

    /// Creates the drill; the scenario's own participants play unless `participants` is given.
    static func create(
        scenario record: DrillScenarioRecord, title: String?, start: Date?, participants: [Participant]?,
        by user: UUID, at now: Date, on db: any Database
    ) async throws -> Drill {
        let scenario = try await DrillLibrary.scenario(of: record, on: db)
        guard let startsAt = start ?? scenario.start else {
            throw ConcordError.invalid(field: "start", "is required: the scenario runs on a relative clock")
        }
        let teams = try await Team.query(on: db).with(\.$category).all()
        let bySlug = Dictionary(teams.map { ($0.slug, $0) }, uniquingKeysWith: { first, _ in first })
        let chosen = try participants ?? defaultParticipants(scenario, teams: teams)
        var validator = FieldValidator()
        var seen: Set<String> = []
        for (index, participant) in chosen.enumerated() {
            validator.check(
                bySlug[participant.slug] != nil, "participants[\(index)].team", "no team \(participant.slug)")
            validator.check(seen.insert(participant.slug).inserted, "participants[\(index)].team", "named twice")
        }
        let players = Set(chosen.filter { $0.part == .player }.map(\.slug))
        validator.check(!players.isEmpty, "participants", "at least one team must play")
        for inject in scenario.injects {
            if case .teams(let slugs) = inject.recipients {
                for slug in slugs where !players.contains(slug) {
                    validator.fail("injects.\(inject.id).to", "\(slug) does not play in this drill")
                }
            }
            if case .notifyTeam(let slug) = inject.expectation?.action, bySlug[slug] == nil {
                validator.fail("injects.\(inject.id).expect.team", "no team \(slug)")
            }
        }
        try validator.throwIfFailed()

        let drill = Drill()
        drill.id = UUID()
        drill.scenarioID = try record.requireID()
        drill.title = title.flatMap { $0.isEmpty ? nil : $0 } ?? scenario.title
        drill.startsAt = startsAt
        drill.durationSeconds = scenario.durationSeconds
        drill.state = .scheduled
        drill.pausedSeconds = 0
        drill.createdBy = user
        drill.createdAt = now
        try await db.writeTransaction { db in
            try await drill.create(on: db)
            let drillID = try drill.requireID()
            for participant in chosen {
                let row = DrillParticipant()
                row.drillID = drillID
                row.teamID = try bySlug[participant.slug]?.requireID() ?? UUID()
                row.part = participant.part
                row.partner = participant.partner
                try await row.create(on: db)
            }
            for inject in scenario.injects {
                try await injectRecord(inject, drill: drillID).create(on: db)
            }
        }
        return drill
    }

    /// The inject row of a scenario's inject (or of an ad-hoc one).
    static func injectRecord(_ inject: DrillInject, drill: UUID, adhoc: Bool = false) throws -> DrillInjectRecord {
        let record = DrillInjectRecord()
        record.drillID = drill
        record.key = inject.id
        record.offsetSeconds = inject.offsetSeconds
        record.channel = inject.channel.rawValue
        record.subject = inject.subject
        record.body = inject.body
        if case .teams(let slugs) = inject.recipients { record.recipients = try json(slugs) }
        record.expectation = try inject.expectation.map(json)
        record.attachments = try json(inject.attachments)
        record.state = .pending
        record.adhoc = adhoc
        return record
    }

    /// Every full member (the scenario says so), or the teams it names, as players.
    private static func defaultParticipants(_ scenario: DrillScenario, teams: [Team]) throws -> [Participant] {
        switch scenario.participants {
        case .teams(let slugs):
            return slugs.map { Participant(slug: $0, part: .player, partner: false) }
        case .allFullMembers:
            return teams.filter { $0.category.slug == "full" && $0.status == .active }
                .sorted { $0.slug < $1.slug }
                .map { Participant(slug: $0.slug, part: .player, partner: false) }
        }
    }

    static func json<Value: Encodable>(_ value: Value) throws -> String {
        String(decoding: try JSONEncoder().encode(value), as: UTF8.self)
    }
}
