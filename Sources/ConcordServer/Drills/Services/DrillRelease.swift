import ConcordCore
import Fluent
import FluentSQL
import Foundation

/// Releases one inject: a delivery per receiving team, with its deadline, and for e-mail injects
/// a message per team in the outbox (encrypted to the team's key like every notification). The
/// inject is claimed by a conditional update first, so two schedulers never release it twice.
enum DrillRelease {
    /// Releases `inject` at `now`; false when somebody else already did (or it was skipped).
    @discardableResult
    static func release(
        _ inject: DrillInjectRecord, of drill: Drill, at now: Date, mailedAt wall: Date, on db: any Database
    )
        async throws -> Bool
    {
        try await db.writeTransaction { db in
            guard try await claim(inject, at: now, on: db) else { return false }
            let drillID = try drill.requireID()
            let players = try await DrillParticipant.query(on: db).filter(\.$drillID == drillID)
                .filter(\.$part == .player).all()
            var teamIDs = players.map(\.teamID)
            if let slugs = inject.recipientSlugs {
                let named = try await Team.query(on: db).filter(\.$slug ~~ slugs).all().compactMap(\.id)
                teamIDs = teamIDs.filter(named.contains)
            }
            let teams = try await Team.query(on: db).filter(\.$id ~~ teamIDs).with(\.$economy).with(\.$contacts)
                .sort(\.$slug).all()
            let expectation = try expectation(of: inject)
            let deadline = expectation.map { now.addingTimeInterval(TimeInterval($0.withinSeconds)) }
            for team in teams {
                let delivery = DrillDelivery()
                delivery.drillID = drillID
                delivery.injectID = try inject.requireID()
                delivery.teamID = try team.requireID()
                delivery.deliveredAt = now
                delivery.deadlineAt = deadline
                try await delivery.create(on: db)
                guard inject.channel == DrillInject.Channel.email.rawValue else { continue }
                try await Outbox.enqueue(
                    announcement: .drillInject, subject: DrillInjectText.subject(inject, drill: drill, team: team),
                    text: DrillInjectText.body(
                        inject, drill: drill, team: team, expectation: expectation, deadline: deadline),
                    // The outbox runs on the wall clock, whatever the drill's clock says.
                    payload: try payload(inject, drill: drill, team: team, deadline: deadline), to: [team],
                    now: wall, on: db)
            }
            inject.state = .released
            inject.releasedAt = now
            return true
        }
    }

    /// The inject's expectation, if it has one.
    static func expectation(of inject: DrillInjectRecord) throws -> DrillExpectation? {
        try inject.expectation.map { try JSONDecoder().decode(DrillExpectation.self, from: Data($0.utf8)) }
    }

    private static func claim(_ inject: DrillInjectRecord, at now: Date, on db: any Database) async throws -> Bool {
        guard let sql = db as? any SQLDatabase else { throw ConcordError(.unavailable, "drills need SQL") }
        let rows = try await sql.raw(
            """
            UPDATE drill_injects SET state = \(bind: DrillInjectRecord.State.released.rawValue), released_at = \(bind: now)
            WHERE id = \(bind: try inject.requireID()) AND state = \(bind: DrillInjectRecord.State.pending.rawValue)
            RETURNING id
            """
        ).all()
        return !rows.isEmpty
    }

    /// The webhook's JSON: the inject, flagged as drill traffic.
    private static func payload(_ inject: DrillInjectRecord, drill: Drill, team: Team, deadline: Date?) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return try encoder.encode(
            DrillInjectWebhook(
                event: NotificationPurpose.drillInject.webhookEvent, drill: true, tlp: DrillInjectText.tlp.rawValue,
                drillID: try drill.requireID(), inject: inject.key,
                subject: DrillInjectText.subject(inject, drill: drill, team: team), deadline: deadline))
    }
}

/// The webhook body of a drill inject; `drill` is always true.
struct DrillInjectWebhook: Codable, Sendable {
    let event: String
    let drill: Bool
    let tlp: String
    let drillID: UUID
    let inject: String
    let subject: String
    let deadline: Date?
}
