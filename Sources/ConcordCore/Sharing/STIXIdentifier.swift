import Foundation

/// A STIX 2.1 identifier, `type--UUID` (STIX 2.1 §2.9): a type name of 3 to 250 characters, lower
/// case ASCII letters, digits and hyphens, starting with a letter, no double hyphen, no trailing
/// hyphen; then a UUID in lower or upper case (version 4 for SDOs and SROs, 5 or 4 for SCOs).
public struct STIXIdentifier: Hashable, Sendable, CustomStringConvertible {
    public let type: String
    public let uuid: UUID

    public init?(_ text: String) {
        guard let range = text.range(of: "--", options: .backwards) else { return nil }
        let type = String(text[..<range.lowerBound])
        let uuidText = String(text[range.upperBound...])
        guard Self.isTypeName(type), uuidText.count == 36, let uuid = UUID(uuidString: uuidText) else { return nil }
        self.type = type
        self.uuid = uuid
    }

    /// Whether `name` may be a STIX type (§2.14 type names; `x-` custom types included).
    public static func isTypeName(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        guard (3...250).contains(bytes.count), let first = bytes.first, (97...122).contains(first),
            bytes.last != 45, !name.contains("--")
        else { return false }
        return bytes.allSatisfy { (97...122).contains($0) || (48...57).contains($0) || $0 == 45 }
    }

    /// The UUID's version (the high nibble of byte 6).
    public var uuidVersion: Int { Int(uuid.uuid.6 >> 4) }

    public var description: String { "\(type)--\(uuid.uuidString.lowercased())" }
}
