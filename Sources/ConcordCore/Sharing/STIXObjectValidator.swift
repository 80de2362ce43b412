/// Checks a STIX 2.1 object on its way into the store: the common properties (§3), the required
/// properties of each type Concord knows (§4–6), identifiers and references (§2.9), timestamps
/// (§3.2) and the few value ranges the standard fixes. Types it does not know are accepted when
/// their common properties hold, and stored as they are. Every problem names its property.
public enum STIXObjectValidator {
    /// What is wrong with one property.
    public struct Problem: Hashable, Sendable, CustomStringConvertible {
        public let property: String
        public let message: String

        public var description: String { "\(property): \(message)" }
    }

    /// STIX Cyber-observable Objects: their ids may be UUIDv5, `created` and `modified` do not apply.
    public static let observableTypes: Set<String> = [
        "artifact", "autonomous-system", "directory", "domain-name", "email-addr", "email-message", "file",
        "ipv4-addr", "ipv6-addr", "mac-addr", "mutex", "network-traffic", "process", "software", "url",
        "user-account", "windows-registry-key", "x509-certificate",
    ]

    /// Properties each type must have, beyond the common ones.
    public static let requiredProperties: [String: [String]] = [
        "attack-pattern": ["name"], "campaign": ["name"], "course-of-action": ["name"],
        "grouping": ["context", "object_refs"],
        "identity": ["name"], "incident": ["name"], "indicator": ["pattern", "pattern_type", "valid_from"],
        "infrastructure": ["name"], "intrusion-set": ["name"], "location": [], "malware": ["is_family"],
        "malware-analysis": ["product"], "note": ["content", "object_refs"],
        "observed-data": ["first_observed", "last_observed", "number_observed"], "opinion": ["opinion", "object_refs"],
        "report": ["name", "published", "object_refs"], "threat-actor": ["name"], "tool": ["name"],
        "vulnerability": ["name"], "relationship": ["relationship_type", "source_ref", "target_ref"],
        "sighting": ["sighting_of_ref"], "marking-definition": [], "language-content": ["object_ref", "contents"],
        "extension-definition": ["name", "schema", "version", "extension_types"],
        "ipv4-addr": ["value"], "ipv6-addr": ["value"], "domain-name": ["value"], "url": ["value"],
        "email-addr": ["value"], "mac-addr": ["value"], "autonomous-system": ["number"], "mutex": ["name"],
        "directory": ["path"], "software": ["name"], "x509-certificate": [], "file": [],
        "network-traffic": ["protocols"], "user-account": [], "windows-registry-key": [], "process": [],
        "email-message": ["is_multipart"], "artifact": [],
    ]

    /// The problems of `object`; empty when it may be stored.
    public static func problems(_ object: [String: JSONValue]) -> [Problem] {
        var found: [Problem] = []
        func problem(_ property: String, _ message: String) {
            found.append(Problem(property: property, message: message))
        }
        guard let type = object["type"]?.string, STIXIdentifier.isTypeName(type) else {
            return [Problem(property: "type", message: "must be a STIX type name such as indicator")]
        }
        let isObservable = observableTypes.contains(type)
        if let text = object["id"]?.string, let id = STIXIdentifier(text) {
            if id.type != type { problem("id", "names type \(id.type), the object is \(type)") }
            let versions = isObservable ? [4, 5] : [4]
            if !versions.contains(id.uuidVersion) {
                problem("id", "must use a UUID of version \(versions.map(String.init).joined(separator: " or "))")
            }
        } else {
            problem("id", "must be \(type)--<UUID>")
        }
        if let version = object["spec_version"] {
            if version.string != "2.1" { problem("spec_version", "must be 2.1") }
        } else if !isObservable {
            problem("spec_version", "is required (2.1)")
        }
        let created = timestamp("created", in: object, required: !isObservable, problem)
        if !isObservable, type != "marking-definition" {
            let modified = timestamp("modified", in: object, required: true, problem)
            if let created, let modified, modified < created { problem("modified", "is earlier than created") }
        }
        _ = created
        for property in requiredProperties[type] ?? [] where object[property] == nil || object[property] == .null {
            problem(property, "is required for \(type)")
        }
        checkReferences(object, problem)
        checkCommonValues(object, problem)
        checkTypeValues(type, object, problem)
        return found
    }

    /// A timestamp property: nil when absent (a problem if required) or malformed (a problem).
    private static func timestamp(
        _ property: String, in object: [String: JSONValue], required: Bool, _ problem: (String, String) -> Void
    ) -> STIXTimestamp? {
        guard let value = object[property] else {
            if required { problem(property, "is required") }
            return nil
        }
        guard let text = value.string, let time = STIXTimestamp(text) else {
            problem(property, "must be a timestamp such as 2026-11-22T10:00:00.000Z")
            return nil
        }
        return time
    }

    /// `*_ref` is one identifier, `*_refs` a non-empty list of them; `created_by_ref` names an
    /// identity and `object_marking_refs` marking definitions.
    private static func checkReferences(_ object: [String: JSONValue], _ problem: (String, String) -> Void) {
        for (property, value) in object {
            if property.hasSuffix("_ref") {
                guard let text = value.string, let id = STIXIdentifier(text) else {
                    problem(property, "must be a STIX identifier")
                    continue
                }
                if property == "created_by_ref", id.type != "identity" { problem(property, "must name an identity") }
            } else if property.hasSuffix("_refs") {
                guard let list = value.array, !list.isEmpty else {
                    problem(property, "must be a non-empty list of STIX identifiers")
                    continue
                }
                let ids = list.map { $0.string.flatMap(STIXIdentifier.init) }
                if ids.contains(nil) { problem(property, "must hold STIX identifiers only") }
                if property == "object_marking_refs", ids.contains(where: { $0?.type != "marking-definition" }) {
                    problem(property, "must name marking definitions")
                }
            }
        }
    }

    private static func checkCommonValues(_ object: [String: JSONValue], _ problem: (String, String) -> Void) {
        if let revoked = object["revoked"], case .bool = revoked {
        } else if object["revoked"] != nil {
            problem("revoked", "must be true or false")
        }
        if let confidence = object["confidence"], !(confidence.integer.map { (0...100).contains($0) } ?? false) {
            problem("confidence", "must be an integer from 0 to 100")
        }
        if let labels = object["labels"], !(labels.array?.allSatisfy { $0.string != nil } ?? false) {
            problem("labels", "must be a list of strings")
        }
    }

    private static func checkTypeValues(
        _ type: String, _ object: [String: JSONValue], _ problem: (String, String) -> Void
    ) {
        switch type {
        case "indicator":
            let from = timestamp("valid_from", in: object, required: false, problem)
            let until = timestamp("valid_until", in: object, required: false, problem)
            if let from, let until, until <= from { problem("valid_until", "must be later than valid_from") }
            if let pattern = object["pattern"], pattern.string?.isEmpty ?? true {
                problem("pattern", "must be a non-empty string")
            } else if object["pattern_type"]?.string == "stix", let pattern = object["pattern"]?.string,
                let failure = STIXPatternParser.failure(in: pattern)
            {
                problem("pattern", "not a STIX pattern: \(failure)")
            }
        case "observed-data":
            let first = timestamp("first_observed", in: object, required: false, problem)
            let last = timestamp("last_observed", in: object, required: false, problem)
            if let first, let last, last < first { problem("last_observed", "is earlier than first_observed") }
            if let count = object["number_observed"], !(count.integer.map { (1...999_999_999).contains($0) } ?? false) {
                problem("number_observed", "must be an integer from 1 to 999,999,999")
            }
            if object["object_refs"] == nil, object["objects"] == nil {
                problem("object_refs", "is required for observed-data")
            }
        case "report":
            _ = timestamp("published", in: object, required: false, problem)
        case "sighting":
            if let count = object["count"], !(count.integer.map { (0...999_999_999).contains($0) } ?? false) {
                problem("count", "must be an integer from 0 to 999,999,999")
            }
        case "malware":
            if object["is_family"] == .bool(true), object["name"] == nil { problem("name", "is required for a family") }
        case "autonomous-system":
            if let number = object["number"], !(number.integer.map { (0...4_294_967_295).contains($0) } ?? false) {
                problem("number", "must be an AS number")
            }
        case "ipv4-addr", "ipv6-addr":
            if let value = object["value"]?.string,
                (IPPrefix(value) ?? IPAddress(value).map { IPPrefix(network: $0, length: $0.family == .v4 ? 32 : 128) })?
                    .address.family != (type == "ipv4-addr" ? .v4 : .v6)
            {
                problem("value", "must be an \(type == "ipv4-addr" ? "IPv4" : "IPv6") address or CIDR block")
            }
        default:
            break
        }
    }
}
