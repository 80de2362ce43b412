import ConcordCore
import Foundation

/// A MISP event (as `pymisp` writes it: the event, its attributes and its objects' attributes)
/// as STIX 2.1. Attributes flagged `to_ids` become indicators; the others observed data of their
/// observable; the event a report of them all; its `tlp:*` tag the marking of every object. The
/// MISP type and category ride along as `x_misp_type` and `x_misp_category`, so the feed export
/// gives them back. The mapping is documented in docs/misp-mapping.md.
struct MISPEventImporter {
    /// The STIX objects, the label the event's tag named (nil: none), and what was left out.
    struct Document {
        let objects: [[String: JSONValue]]
        let label: TLPLabel?
        let skipped: [String]
    }

    /// Why an event cannot be read at all.
    struct Problem: Error {
        let message: String
    }

    let author: [String: JSONValue]
    let now: Date

    func document(from json: JSONValue) throws(Problem) -> Document {
        guard let event = json.object?["Event"]?.object ?? json.object else {
            throw Problem(message: "the body is not a MISP event")
        }
        guard let uuid = event["uuid"]?.string.flatMap(UUID.init(uuidString:)) else {
            throw Problem(message: "the event has no uuid")
        }
        let label = Self.label(tags: event["Tag"])
        let eventTime = Self.time(event["timestamp"]) ?? now
        var attributes = event["Attribute"]?.array ?? []
        for object in event["Object"]?.array ?? [] { attributes += object.object?["Attribute"]?.array ?? [] }
        var objects: [[String: JSONValue]] = []
        var references: [JSONValue] = []
        var skipped: [String] = []
        func add(_ object: [String: JSONValue]) {
            guard let id = object["id"], !objects.contains(where: { $0["id"] == id }) else { return }
            objects.append(object)
        }
        for value in attributes {
            let attribute = value.object ?? [:]
            let type = attribute["type"]?.string ?? ""
            let text = attribute["value"]?.string ?? ""
            guard let observable = MISPAttributeMapping.observable(type: type, value: text) else {
                skipped.append("\(type) \(text)")
                continue
            }
            let seed = attribute["uuid"]?.string ?? "\(uuid)|\(type)|\(text)"
            let created = STIXTimestamp(date: Self.time(attribute["timestamp"]) ?? eventTime).description
            let observation = STIXObservableMapping.observation(of: observable)
            var common: [String: JSONValue] = [
                "spec_version": "2.1", "created": .string(created), "modified": .string(created),
                "created_by_ref": author["id"] ?? .null, "x_misp_type": .string(type),
                "x_misp_category": .string(attribute["category"]?.string ?? ""),
            ]
            if Self.flag(attribute["to_ids"]) {
                common["type"] = "indicator"
                common["id"] = .string(Self.id("indicator", attribute["uuid"]?.string, seed: seed))
                common["name"] = .string("\(type) \(text)")
                common["pattern"] = .string(STIXPatternWriter.pattern(for: observation))
                common["pattern_type"] = "stix"
                common["valid_from"] = .string(created)
                add(common)
            } else {
                let sco = STIXIdentifiers.sco(observation)
                add(sco)
                common["type"] = "observed-data"
                common["id"] = .string(Self.id("observed-data", attribute["uuid"]?.string, seed: seed))
                common["first_observed"] = .string(created)
                common["last_observed"] = .string(created)
                common["number_observed"] = 1
                common["object_refs"] = [sco["id"] ?? .null]
                add(common)
            }
            references.append(common["id"] ?? .null)
        }
        let published = STIXTimestamp(date: eventTime).description
        var report: [String: JSONValue] = [
            "type": "report", "spec_version": "2.1", "id": .string(Self.id("report", uuid.uuidString, seed: "")),
            "created": .string(published), "modified": .string(published), "published": .string(published),
            "created_by_ref": author["id"] ?? .null, "name": .string(event["info"]?.string ?? "MISP event \(uuid)"),
            "report_types": ["threat-report"],
            "object_refs": .array(references.isEmpty ? [author["id"] ?? .null] : references),
            "external_references": [["source_name": "misp", "external_id": .string(uuid.uuidString.lowercased())]],
        ]
        if let date = event["date"]?.string { report["x_misp_date"] = .string(date) }
        objects = [author] + objects + [report]
        if let label {
            let marking = JSONValue.array([.string(TLPMarking.id(of: label))])
            objects = objects.map { object in
                var marked = object
                marked["object_marking_refs"] = marking
                return marked
            }
        }
        return Document(objects: objects, label: label, skipped: skipped)
    }

    /// The TLP of the event's `tlp:*` tag (MISP writes TLP 1.0 and 2.0 names alike).
    static func label(tags: JSONValue?) -> TLPLabel? {
        for tag in tags?.array ?? [] {
            guard let name = tag.object?["name"]?.string?.lowercased(), name.hasPrefix("tlp:") else { continue }
            if let label = TLPLabel(text: String(name.dropFirst(4))) { return label }
        }
        return nil
    }

    /// MISP's `timestamp`: Unix seconds, as a string or a number.
    static func time(_ value: JSONValue?) -> Date? {
        let seconds = value?.integer ?? value?.string.flatMap { Int64($0) }
        return seconds.map { Date(timeIntervalSince1970: TimeInterval($0)) }
    }

    /// MISP's booleans: true, "1" or 1.
    static func flag(_ value: JSONValue?) -> Bool {
        switch value {
        case .bool(let flag): return flag
        case .integer(let number): return number != 0
        case .string(let text): return text == "1" || text.lowercased() == "true"
        default: return false
        }
    }

    /// `type--uuid` when the MISP uuid is a version 4 one (STIX asks for that), else a derived id.
    static func id(_ type: String, _ uuid: String?, seed: String) -> String {
        if let uuid, let parsed = STIXIdentifier("\(type)--\(uuid.lowercased())"), parsed.uuidVersion == 4 {
            return parsed.description
        }
        return STIXIdentifiers.derived(type, seed: "misp|\(uuid ?? seed)")
    }
}
