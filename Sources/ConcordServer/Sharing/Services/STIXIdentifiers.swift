import ConcordCore
import Crypto
import Foundation

/// Ids Concord gives the STIX objects it writes: observables get the deterministic UUIDv5 of
/// STIX 2.1 §2.9 (so every producer names 198.51.100.7 alike), and Concord's own SDOs a UUID of
/// version 4 form taken from a seed (so sharing an incident again versions the same report).
enum STIXIdentifiers {
    /// The STIX 2.1 namespace for SCO ids.
    static let namespace = UUID(uuidString: "00abedb4-aa42-466c-9c01-fed23315a9b7")!

    /// `type--UUIDv5(namespace, canonical contributing properties)`.
    static func observable(_ observation: STIXObservableMapping.Observation) -> String {
        var data = withUnsafeBytes(of: namespace.uuid) { Data($0) }
        data.append(Data(observation.contributingText.utf8))
        var bytes = Array(Insecure.SHA1.hash(data: data).prefix(16))
        bytes[6] = (bytes[6] & 0x0F) | 0x50
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        return "\(observation.type)--\(uuid(bytes))"
    }

    /// The SCO of an observation: its properties, type, spec version, deterministic id and, when
    /// given, its marking.
    static func sco(_ observation: STIXObservableMapping.Observation, marking: JSONValue? = nil)
        -> [String: JSONValue]
    {
        var object = observation.properties
        object["type"] = .string(observation.type)
        object["spec_version"] = "2.1"
        object["id"] = .string(observable(observation))
        if let marking { object["object_marking_refs"] = marking }
        return object
    }

    /// `type--` and a version 4 UUID made from the SHA-256 of `seed`.
    static func derived(_ type: String, seed: String) -> String {
        var bytes = Array(SHA256.hash(data: Data("\(type)|\(seed)".utf8)).prefix(16))
        bytes[6] = (bytes[6] & 0x0F) | 0x40
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        return "\(type)--\(uuid(bytes))"
    }

    private static func uuid(_ bytes: [UInt8]) -> String {
        bytes.withUnsafeBytes { UUID(uuid: $0.loadUnaligned(as: uuid_t.self)) }.uuidString.lowercased()
    }
}
