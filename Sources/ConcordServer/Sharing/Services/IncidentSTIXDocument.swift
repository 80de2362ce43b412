import ConcordCore
import Foundation

/// An incident as STIX 2.1: the reporting team's `identity`, one SCO per observable, an
/// `observed-data` grouping them, and a `report` that names the incident, each marked with the
/// incident's TLP. The report and observed data keep their ids from one sharing to the next, so
/// sharing again adds a version.
struct IncidentSTIXDocument {
    let incident: Incident
    let label: TLPLabel
    let now: Date
    /// Where the incident's page is, for the report's external reference.
    let publicURL: String

    /// The reporting team's identity, the same object in every document the team shares.
    static func identity(of team: Team) throws -> [String: JSONValue] {
        let fixed = JSONValue.string("2020-01-01T00:00:00.000Z")
        return [
            "type": "identity", "spec_version": "2.1",
            "id": .string(STIXIdentifiers.derived("identity", seed: "team|\(try team.requireID())")),
            "created": fixed, "modified": fixed, "name": .string(team.fullName), "identity_class": "organization",
        ]
    }

    func objects() throws -> [[String: JSONValue]] {
        let marking = JSONValue.array([.string(TLPMarking.id(of: label))])
        var identity = try Self.identity(of: incident.reporterTeam)
        identity["object_marking_refs"] = marking
        let author = identity["id"] ?? .null
        var observables: [[String: JSONValue]] = []
        for stored in incident.observables {
            guard let kind = Observable.Kind(rawValue: stored.kind),
                case .success(let observable) = Observable.parse(stored.value, as: kind)
            else { continue }
            let object = STIXIdentifiers.sco(STIXObservableMapping.observation(of: observable), marking: marking)
            if !observables.contains(where: { $0["id"] == object["id"] }) { observables.append(object) }
        }
        let number = incident.number
        let reported = STIXTimestamp(date: incident.reportedAt)
        let modified = JSONValue.string(STIXTimestamp(date: max(now, incident.reportedAt)).description)
        var objects = [identity] + observables
        var references = observables.compactMap { $0["id"] }
        if !observables.isEmpty {
            let firstSeen = STIXTimestamp(date: min(incident.firstSeen ?? incident.reportedAt, incident.reportedAt))
            let observed: [String: JSONValue] = [
                "type": "observed-data", "spec_version": "2.1",
                "id": .string(STIXIdentifiers.derived("observed-data", seed: "incident|\(number)")),
                "created": .string(reported.description), "modified": modified, "created_by_ref": author,
                "first_observed": .string(firstSeen.description), "last_observed": .string(reported.description),
                "number_observed": 1, "object_refs": .array(references), "object_marking_refs": marking,
            ]
            objects.append(observed)
            references.insert(observed["id"] ?? .null, at: 0)
        }
        var report: [String: JSONValue] = [
            "type": "report", "spec_version": "2.1",
            "id": .string(STIXIdentifiers.derived("report", seed: "incident|\(number)")),
            "created": .string(reported.description), "modified": modified, "created_by_ref": author,
            "name": .string("\(number): \(incident.title)"), "published": .string(reported.description),
            "report_types": ["threat-report"], "labels": .array([.string("\(incident.taxonomy)/\(incident.type)")]),
            "object_refs": .array(references.isEmpty ? [author] : references), "object_marking_refs": marking,
            "external_references": [
                [
                    "source_name": "concord", "external_id": .string(number),
                    "url": .string(publicURL + Paths.incidentPage(number)),
                ]
            ],
        ]
        if !incident.details.isEmpty { report["description"] = .string(incident.details) }
        objects.append(report)
        return objects
    }
}
