import Fluent
import Foundation

/// Records every delivery of shared objects to a principal outside the teams that shared them
/// (one row per response and sharing team), and reads the log back for a sharing team.
enum STIXDeliveryLog {
    /// One delivered object, as the sharing team reads it.
    struct Delivered {
        let item: STIXDelivery.Item
        let row: STIXDelivery
    }

    /// Logs `records` as delivered to `principal` by `channel`.
    static func record(
        _ records: [StoredSTIXObject], to principal: Principal, by channel: STIXDelivery.Channel,
        on database: any Database, now: Date
    ) async throws {
        let foreign = records.filter { $0.ownerTeamID != principal.teamID }
        guard !foreign.isEmpty else { return }
        let encoder = JSONEncoder()
        var rows: [STIXDelivery] = []
        for (owner, objects) in Dictionary(grouping: foreign, by: \.ownerTeamID) {
            let delivery = STIXDelivery()
            delivery.ownerTeamID = owner
            delivery.recipientTeamID = principal.teamID
            delivery.recipientUserID = principal.userID
            delivery.channel = channel
            delivery.deliveredAt = now
            delivery.count = objects.count
            let items = objects.map { STIXDelivery.Item(id: $0.stixID, version: $0.versionMicroseconds, tlp: $0.tlp) }
            delivery.objects = String(decoding: try encoder.encode(items), as: UTF8.self)
            rows.append(delivery)
        }
        try await rows.create(on: database)
    }

    /// The newest deliveries of `team`'s objects, one entry per object (of one object when
    /// `stixID` is given), at most `limit`.
    static func deliveries(of team: UUID, stixID: String?, limit: Int, on database: any Database) async throws
        -> [Delivered]
    {
        let query = STIXDelivery.query(on: database).filter(\.$ownerTeamID == team)
        if let stixID { query.filter(\.$objects ~~ stixID) }
        var found: [Delivered] = []
        let decoder = JSONDecoder()
        for row in try await query.sort(\.$deliveredAt, .descending).limit(limit).all() {
            let items = (try? decoder.decode([STIXDelivery.Item].self, from: Data(row.objects.utf8))) ?? []
            for item in items where stixID == nil || item.id == stixID {
                found.append(Delivered(item: item, row: row))
                if found.count == limit { return found }
            }
        }
        return found
    }
}
