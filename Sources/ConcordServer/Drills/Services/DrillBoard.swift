import ConcordCore
import Fluent
import Foundation
import Vapor

/// The live board of a drill: each inject, and for each team each inject's state with its times.
/// Exercise control sees every team; a playing team sees its own row only; observers see the
/// injects without anybody's times.
enum DrillBoard {
    /// Builds the board at `now` with the rows of `teams` (nil: every team).
    static func build(_ drill: Drill, rowsOf teams: Set<UUID>?, at now: Date, on db: any Database) async throws
        -> DrillBoardDTO
    {
        let drillID = try drill.requireID()
        let injects = try await DrillInjectRecord.query(on: db).filter(\.$drillID == drillID)
            .sort(\.$offsetSeconds).sort(\.$key).all()
        let participants = try await DrillParticipant.query(on: db).filter(\.$drillID == drillID).all()
        let teamRows = try await Team.query(on: db).filter(\.$id ~~ participants.map(\.teamID)).with(\.$economy)
            .sort(\.$slug).all()
        let deliveries = try await DrillDelivery.query(on: db).filter(\.$drillID == drillID).all()
        let byCell = Dictionary(
            deliveries.map { ("\($0.injectID)/\($0.teamID)", $0) }, uniquingKeysWith: { first, _ in first })
        let parts = Dictionary(participants.map { ($0.teamID, $0) }, uniquingKeysWith: { first, _ in first })
        var rows: [DrillBoardDTO.Row] = []
        for team in teamRows {
            let id = try team.requireID()
            guard let participant = parts[id], participant.part == .player, teams?.contains(id) ?? true else {
                continue
            }
            let zone = TimeZone(identifier: team.timeZone) ?? .gmt
            let cells = injects.compactMap { inject -> DrillBoardDTO.Cell? in
                let delivery = byCell["\(inject.id ?? UUID())/\(id)"]
                if delivery == nil, inject.state == .released { return nil }  // not addressed to the team
                if delivery == nil, !addressed(inject, to: team.slug) { return nil }
                let state = DrillProgress.of(
                    skipped: inject.state == .skipped, delivered: delivery?.deliveredAt, deadline: delivery?.deadlineAt,
                    acknowledged: delivery?.acknowledgedAt, completed: delivery?.completedAt, now: now)
                return DrillBoardDTO.Cell(
                    inject: inject.key, state: state, deliveredAt: delivery?.deliveredAt,
                    deadlineAt: delivery?.deadlineAt, acknowledgedAt: delivery?.acknowledgedAt,
                    completedAt: delivery?.completedAt,
                    late: DrillProgress.late(deadline: delivery?.deadlineAt, completed: delivery?.completedAt))
            }
            rows.append(
                DrillBoardDTO.Row(
                    team: team.slug, name: team.shortName, economy: team.economy.name, partner: participant.partner,
                    timeZone: team.timeZone, startsLocal: NotificationText.local(drill.startsAt, in: zone), cells: cells
                ))
        }
        return DrillBoardDTO(
            id: drillID, title: drill.title, state: drill.state.rawValue, startsAt: drill.startsAt,
            elapsedSeconds: drill.elapsed(at: now), durationSeconds: drill.durationSeconds,
            injects: try injects.map { inject in
                DrillBoardDTO.Inject(
                    key: inject.key, offsetSeconds: inject.offsetSeconds, channel: inject.channel,
                    subject: inject.subject, state: inject.state.rawValue, releasedAt: inject.releasedAt,
                    expects: try DrillRelease.expectation(of: inject)?.action.name, adhoc: inject.adhoc)
            },
            teams: rows)
    }

    /// Whether a pending inject will go to the team (all players, or named).
    private static func addressed(_ inject: DrillInjectRecord, to slug: String) -> Bool {
        inject.recipientSlugs?.contains(slug) ?? true
    }
}
