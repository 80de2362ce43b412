/// An incident's observables as STIX 2.1 Cyber-observable Objects (§6): the type, the properties,
/// and the properties that make the deterministic id (§2.9: a UUIDv5 over their canonical JSON).
public enum STIXObservableMapping {
    /// One observable as a STIX SCO, without its id.
    public struct Observation: Sendable, Equatable {
        public let type: String
        /// The SCO's own properties (the `value`, `number` or `hashes`).
        public let properties: [String: JSONValue]

        /// The id contributing properties in RFC 8785 form, the text the UUIDv5 is taken of. For
        /// these types every property contributes.
        public var contributingText: String { JSONValue.object(properties).canonicalText }
    }

    /// The SCO of an observable: addresses and prefixes as `ipv4-addr` / `ipv6-addr` (a prefix in
    /// CIDR form, as §6.13 allows), AS numbers as `autonomous-system`, domains, URLs, e-mail
    /// addresses, and hashes as a `file` with that one hash.
    public static func observation(of observable: Observable) -> Observation {
        switch observable {
        case .ipAddress(let address):
            return Observation(
                type: address.family == .v4 ? "ipv4-addr" : "ipv6-addr",
                properties: ["value": .string(address.description)])
        case .ipPrefix(let prefix):
            return Observation(
                type: prefix.address.family == .v4 ? "ipv4-addr" : "ipv6-addr",
                properties: ["value": .string(prefix.description)])
        case .asn(let asn):
            return Observation(type: "autonomous-system", properties: ["number": .integer(Int64(asn.value))])
        case .domain(let name):
            return Observation(type: "domain-name", properties: ["value": .string(name.description)])
        case .url(let text, _):
            return Observation(type: "url", properties: ["value": .string(text)])
        case .email:
            return Observation(type: "email-addr", properties: ["value": .string(observable.description)])
        case .md5(let hash):
            return Observation(type: "file", properties: ["hashes": .object(["MD5": .string(hash)])])
        case .sha1(let hash):
            return Observation(type: "file", properties: ["hashes": .object(["SHA-1": .string(hash)])])
        case .sha256(let hash):
            return Observation(type: "file", properties: ["hashes": .object(["SHA-256": .string(hash)])])
        }
    }
}
