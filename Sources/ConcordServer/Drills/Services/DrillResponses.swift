import ConcordCore
import Fluent
import Foundation

/// What players do in a drill: each action is kept, matched against the inject's expectation, and
/// moves the team's delivery along (acknowledged, completed), at the drill clock's time.
enum DrillResponses {
    /// Records `response` of `team` to the inject `key`; returns the action with its outcome.
    static func record(
        _ response: DrillResponse, to key: String, in drill: Drill, team: UUID, user: UUID, signed: Bool = false,
        at now: Date, on db: any Database
    ) async throws -> DrillActionRecord {
        guard drill.state == .running || drill.state == .paused else {
            throw ConcordError(.conflict, "the drill is \(drill.state.rawValue): it takes no answers")
        }
        let drillID = try drill.requireID()
        guard
            let inject = try await DrillInjectRecord.query(on: db).filter(\.$drillID == drillID)
                .filter(\.$key == key).first(),
            let delivery = try await DrillDelivery.query(on: db).filter(\.$injectID == inject.requireID())
                .filter(\.$teamID == team).first()
        else { throw ConcordError.notFound("inject \(key) for your team") }
        if case .handOver(let slug) = response, try await Team.query(on: db).filter(\.$slug == slug).first() == nil {
            throw ConcordError.invalid(field: "team", "no team \(slug)")
        }
        let expectation = try DrillRelease.expectation(of: inject)
        let match = expectation.map { DrillResponseMatching.match(response, $0.action) } ?? .unrelated
        let action = DrillActionRecord()
        action.drillID = drillID
        action.deliveryID = try delivery.requireID()
        action.teamID = team
        action.userID = user
        (action.kind, action.detail) = try describe(response)
        action.outcome = match.rawValue
        action.signed = signed
        action.at = now
        try await db.writeTransaction { db in
            try await action.create(on: db)
            if case .comment = response { return }
            if delivery.acknowledgedAt == nil { delivery.acknowledgedAt = now }
            if match == .satisfied, delivery.completedAt == nil { delivery.completedAt = now }
            try await delivery.save(on: db)
        }
        return action
    }

    /// Exercise control's decision on an answer that needed it: confirmed completes the delivery
    /// at the answer's time, rejected leaves it open.
    static func decide(_ actionID: UUID, confirmed: Bool, in drill: Drill, by user: UUID, on db: any Database)
        async throws -> DrillActionRecord
    {
        guard let action = try await DrillActionRecord.find(actionID, on: db), action.drillID == drill.id else {
            throw ConcordError.notFound("action")
        }
        guard action.outcome == DrillMatch.needsConfirmation.rawValue else {
            throw ConcordError(.conflict, "the action is \(action.outcome): nothing to decide")
        }
        guard let delivery = try await DrillDelivery.find(action.deliveryID, on: db) else {
            throw ConcordError.notFound("delivery")
        }
        action.outcome = confirmed ? "confirmed" : "rejected"
        action.decidedBy = user
        try await db.writeTransaction { db in
            try await action.save(on: db)
            if confirmed, delivery.completedAt.map({ $0 > action.at }) ?? true {
                delivery.completedAt = action.at
                try await delivery.save(on: db)
            }
        }
        return action
    }

    /// The kind and detail kept for a response.
    private static func describe(_ response: DrillResponse) throws -> (String, String) {
        switch response {
        case .acknowledge: return ("acknowledge", "")
        case .reportIncident(let observables): return ("report-incident", try DrillPlanner.json(observables))
        case .handOver(let team): return ("hand-over", team)
        case .answer(let text): return ("answer", text)
        case .comment(let text): return ("comment", text)
        }
    }
}
