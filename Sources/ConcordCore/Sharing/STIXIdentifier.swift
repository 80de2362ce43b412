import Foundation

/// A STIX 2.1 identifier, `type--UUID` (STIX 2.1 §2.9): a type name of 3 to 250 characters, lower
/// case ASCII letters, digits and hyphens, starting with a letter, no double hyphen, no trailing
/// hyphen; then a UUID in lower or upper case (version 4 for SDOs and SROs, 5 or 4 for SCOs).
public struct STIXIdentifier: Hashable, Sendable, CustomStringConvertible {
    public let type: String
    public let uuid: UUID

    public init?(_ text: String) {
        // The UUID is the last 36 bytes (it holds no "--"), after the "--" that ends the type.
        let bytes = text.utf8
        guard bytes.count > 38 else { return nil }
        let uuidStart = bytes.index(bytes.endIndex, offsetBy: -36)
        let separator = bytes.index(uuidStart, offsetBy: -2)
        guard bytes[separator] == 45, bytes[bytes.index(after: separator)] == 45,
            let type = String(text.utf8[..<separator]), let uuidText = String(text.utf8[uuidStart...])
        else { return nil }
        guard Self.isTypeName(type), let uuid = UUID(uuidString: uuidText) else { return nil }
        self.type = type
        self.uuid = uuid
    }

    /// Whether `name` may be a STIX type (§2.14 type names; `x-` custom types included).
    public static func isTypeName(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        guard (3...250).contains(bytes.count), let first = bytes.first, (97...122).contains(first), bytes.last != 45
        else { return false }
        for (byte, next) in zip(bytes, bytes.dropFirst()) where byte == 45 && next == 45 { return false }
        return bytes.allSatisfy { (97...122).contains($0) || (48...57).contains($0) || $0 == 45 }
    }

    /// The UUID's version (the high nibble of byte 6).
    public var uuidVersion: Int { Int(uuid.uuid.6 >> 4) }

    public var description: String { "\(type)--\(uuid.uuidString.lowercased())" }
}
