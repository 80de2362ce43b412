extension JSONValue {
    /// RFC 8785 (JSON Canonicalization Scheme) text for the values STIX ids are made of: members
    /// sorted by their UTF-16 code units, no white space, strings with the minimal escapes,
    /// integers as they are. (Fractions are written as Swift prints them, which JCS matches for
    /// the values Concord puts in ids: none.)
    public var canonicalText: String {
        switch self {
        case .null: return "null"
        case .bool(let value): return value ? "true" : "false"
        case .integer(let value): return String(value)
        case .number(let value): return String(value)
        case .string(let value): return Self.quoted(value)
        case .array(let values): return "[" + values.map(\.canonicalText).joined(separator: ",") + "]"
        case .object(let members):
            let sorted = members.keys.sorted { Array($0.utf16).lexicographicallyPrecedes(Array($1.utf16)) }
            return "{"
                + sorted.map { Self.quoted($0) + ":" + (members[$0] ?? .null).canonicalText }
                .joined(separator: ",") + "}"
        }
    }

    /// A JSON string literal (RFC 8259 §7) with the escapes RFC 8785 asks for: quotes, backslashes,
    /// the five short control escapes and `\u00xx` for the other control characters.
    public static func quoted(_ text: String) -> String {
        if text.utf8.allSatisfy({ $0 >= 0x20 && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\") }) {
            return "\"" + text + "\""
        }
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
