import ConcordCore
import Crypto
import Fluent
import Vapor

/// A MISP feed of what one principal may see: every STIX report it can read becomes an event,
/// with an attribute per observable its indicators and observed data name. A MISP instance adds
/// the feed by URL (`…/misp-feed/`, with the principal's token in an Authorization header) and
/// reads `manifest.json`, `hashes.csv` and one `<uuid>.json` per event.
struct MISPFeedExporter {
    let caller: Caller

    /// One event, with the stored rows it was made of (for the delivery log).
    struct Event {
        let uuid: String
        let json: [String: JSONValue]
        let rows: [StoredSTIXObject]
    }

    /// Every event the principal may read, newest report version each.
    func events() async throws -> [Event] {
        var events: [Event] = []
        let teams = try await Team.query(on: caller.db).all()
        for collection in try await SharingCollections.all(on: caller.db)
        where caller.policy.allows(.readCollection(collection.access)) {
            let reader = STIXObjectReader(collection: collection, policy: caller.policy)
            let reports = try await StoredSTIXObject.query(on: caller.db).filter(\.$collectionID == collection.id)
                .filter(\.$type == "report").filter(\.$isLast == true).sort(\.$dateAddedMicroseconds).all()
            for report in reports where reader.visible(report) {
                if let event = try await event(report, reader: reader, teams: teams) { events.append(event) }
            }
        }
        return events
    }

    private func event(_ report: StoredSTIXObject, reader: STIXObjectReader, teams: [Team]) async throws -> Event? {
        let body = Self.decode(report.body)
        guard let uuid = STIXIdentifier(report.stixID)?.uuid.uuidString.lowercased() else { return nil }
        let references = body["object_refs"]?.array?.compactMap(\.string) ?? []
        var rows = try await latest(references, reader)
        var referenced = rows.filter { $0.type == "observed-data" }.flatMap {
            Self.decode($0.body)["object_refs"]?.array?.compactMap(\.string) ?? []
        }
        referenced.removeAll { id in rows.contains { $0.stixID == id } }
        rows += try await latest(referenced, reader)
        let byID = Dictionary(rows.map { ($0.stixID, $0) }, uniquingKeysWith: { first, _ in first })
        var attributes: [JSONValue] = []
        var seen: Set<String> = []
        func add(_ observable: Observable, from object: [String: JSONValue], uuid: String, toIDs: Bool) {
            let mapped = MISPAttributeMapping.attribute(of: observable)
            let value = MISPAttributeMapping.value(of: observable)
            guard seen.insert("\(mapped.type)|\(value)").inserted else { return }
            let category = object["x_misp_category"]?.string.flatMap { $0.isEmpty ? nil : $0 } ?? mapped.category
            attributes.append([
                "uuid": .string(uuid), "type": .string(object["x_misp_type"]?.string ?? mapped.type),
                "category": .string(category), "value": .string(value), "to_ids": .bool(toIDs),
                "timestamp": .string(Self.seconds(object["modified"] ?? object["created"])),
            ])
        }
        for row in rows {
            let object = Self.decode(row.body)
            let own = STIXIdentifier(row.stixID)?.uuid.uuidString.lowercased() ?? UUID().uuidString.lowercased()
            switch row.type {
            case "indicator":
                for observable in CorrelationKeys.observables(ofSTIX: object) {
                    add(observable, from: object, uuid: own, toIDs: true)
                }
            case "observed-data":
                for id in object["object_refs"]?.array?.compactMap(\.string) ?? [] {
                    guard let sco = byID[id] else { continue }
                    let scoObject = Self.decode(sco.body)
                    var context = object
                    context["x_misp_type"] = object["x_misp_type"] ?? scoObject["x_misp_type"]
                    for observable in CorrelationKeys.observables(ofSTIX: scoObject) {
                        let uuid =
                            (object["object_refs"]?.array?.count ?? 0) == 1
                            ? own : STIXIdentifier(id)?.uuid.uuidString.lowercased() ?? own
                        add(observable, from: context, uuid: uuid, toIDs: false)
                    }
                }
            default:
                if references.contains(row.stixID) {
                    for observable in CorrelationKeys.observables(ofSTIX: object) {
                        add(observable, from: object, uuid: own, toIDs: false)
                    }
                }
            }
        }
        let owner = teams.first { $0.id == report.ownerTeamID }
        let identity = owner.flatMap { try? IncidentSTIXDocument.identity(of: $0)["id"]?.string }
        let label = report.tlp
        let published = body["published"]?.string.flatMap(STIXTimestamp.init) ?? STIXTimestamp(microseconds: 0)
        let event: [String: JSONValue] = [
            "uuid": .string(uuid), "info": .string(body["name"]?.string ?? report.stixID),
            "date": .string(body["x_misp_date"]?.string ?? String(published.description.prefix(10))),
            "timestamp": .string(String(report.versionMicroseconds / 1_000_000)), "published": true,
            "analysis": "2", "threat_level_id": "4",
            "Orgc": [
                "name": .string(owner?.shortName ?? "?"),
                "uuid": .string(identity.flatMap(STIXIdentifier.init)?.uuid.uuidString.lowercased() ?? ""),
            ],
            "Tag": [
                [
                    "name": .string("tlp:" + label.rawValue.dropFirst(4).lowercased()),
                    "colour": .string(Self.colour(label)),
                ]
            ],
            "Attribute": .array(attributes),
        ]
        return Event(uuid: uuid, json: event, rows: [report] + rows)
    }

    /// The latest visible rows of `ids` in the reader's collection.
    private func latest(_ ids: [String], _ reader: STIXObjectReader) async throws -> [StoredSTIXObject] {
        guard !ids.isEmpty else { return [] }
        return try await StoredSTIXObject.query(on: caller.db).filter(\.$collectionID == reader.collection.id)
            .filter(\.$stixID ~~ ids).filter(\.$isLast == true).all().filter(reader.visible)
    }

    /// `manifest.json`: each event's summary by uuid.
    static func manifest(_ events: [Event]) -> JSONValue {
        var manifest: [String: JSONValue] = [:]
        for event in events {
            var summary = event.json
            summary["Attribute"] = nil
            summary["uuid"] = nil
            manifest[event.uuid] = .object(summary)
        }
        return .object(manifest)
    }

    /// `hashes.csv`: the MD5 of every attribute value and its event, as MISP's feed generator writes.
    static func hashes(_ events: [Event]) -> String {
        var lines = ""
        for event in events {
            for attribute in event.json["Attribute"]?.array ?? [] {
                let value = attribute.object?["value"]?.string ?? ""
                let digest = Insecure.MD5.hash(data: Data(value.utf8)).map { String(format: "%02x", $0) }.joined()
                lines += "\(digest),\(event.uuid)\n"
            }
        }
        return lines
    }

    private static func decode(_ body: String) -> [String: JSONValue] {
        (try? JSONDecoder().decode([String: JSONValue].self, from: Data(body.utf8))) ?? [:]
    }

    private static func seconds(_ value: JSONValue?) -> String {
        value?.string.flatMap(STIXTimestamp.init).map { String($0.microseconds / 1_000_000) } ?? "0"
    }

    private static func colour(_ label: TLPLabel) -> String {
        switch label {
        case .clear: return "#ffffff"
        case .green: return "#33ff00"
        case .amber, .amberStrict: return "#ffc000"
        case .red: return "#ff2b2b"
        }
    }
}
