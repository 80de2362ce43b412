import ConcordCore
import Fluent
import Foundation

/// Shares the sensor network's surge alerts with the whole forum as STIX: one TLP:GREEN `report`
/// per alert in the forum-wide collection, by the secretariat (which runs the network), so members
/// pull them by TAXII beside everything else they share.
enum SurgeSharing {
    static func share(_ alerts: [SurgeAlert], now: Date, on db: any Database) async throws {
        guard !alerts.isEmpty,
            let secretariat = try await Team.query(on: db).filter(\.$isSecretariat == true).sort(\.$shortName).first(),
            let forum = try await SharingCollections.find(SharingCollections.forumID, on: db)
        else { return }
        let marking = JSONValue.array([.string(TLPMarking.id(of: .green))])
        var identity = try IncidentSTIXDocument.identity(of: secretariat)
        identity["object_marking_refs"] = marking
        let stamp = JSONValue.string(STIXTimestamp(date: now).description)
        let reports: [JSONValue] = alerts.map { alert in
            let service = "\(alert.ipProtocol == 17 ? "udp" : "tcp")/\(alert.port)"
            let seed = "surge|\(alert.bandStart)|\(alert.ipProtocol)|\(alert.port)"
            return [
                "type": "report", "spec_version": "2.1", "id": .string(STIXIdentifiers.derived("report", seed: seed)),
                "created": stamp, "modified": stamp, "published": stamp, "created_by_ref": identity["id"] ?? .null,
                "name": .string("Sensor network: surge on \(service)"), "description": .string(alert.summary),
                "report_types": ["threat-report"], "labels": ["concord-sensor-surge"],
                "object_refs": [identity["id"] ?? .null], "object_marking_refs": marking,
            ]
        }
        _ = try await STIXIngest.add(
            [.object(identity)] + reports, to: forum, by: .init(team: try secretariat.requireID(), user: nil),
            defaultLabel: nil, on: db, now: now)
    }
}
