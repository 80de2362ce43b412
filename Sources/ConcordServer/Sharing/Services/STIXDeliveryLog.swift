import Fluent
import Foundation

/// Records every delivery of a shared object to a principal outside the team that shared it, and
/// reads the log back for that team.
enum STIXDeliveryLog {
    /// Logs `records` as delivered to `principal` by `channel`, in one insert.
    static func record(
        _ records: [StoredSTIXObject], to principal: Principal, by channel: STIXDelivery.Channel,
        on database: any Database, now: Date = Date()
    ) async throws {
        let deliveries = records.filter { $0.ownerTeamID != principal.teamID }.map { record in
            let delivery = STIXDelivery()
            delivery.ownerTeamID = record.ownerTeamID
            delivery.stixID = record.stixID
            delivery.versionMicroseconds = record.versionMicroseconds
            delivery.tlp = record.tlp
            delivery.recipientTeamID = principal.teamID
            delivery.recipientUserID = principal.userID
            delivery.channel = channel
            delivery.deliveredAt = now
            return delivery
        }
        for start in stride(from: 0, to: deliveries.count, by: 1000) {
            try await Array(deliveries[start..<min(start + 1000, deliveries.count)]).create(on: database)
        }
    }

    /// The newest deliveries of `team`'s objects (of one object when `stixID` is given).
    static func deliveries(of team: UUID, stixID: String?, limit: Int, on database: any Database) async throws
        -> [STIXDelivery]
    {
        let query = STIXDelivery.query(on: database).filter(\.$ownerTeamID == team)
        if let stixID { query.filter(\.$stixID == stixID) }
        return try await query.sort(\.$deliveredAt, .descending).limit(limit).all()
    }
}
