import Foundation

/// The media types of TAXII 2.1 §1.6.8 and the rules for the `Accept` and `Content-Type` headers.
public enum TAXIIMediaType {
    /// What every TAXII answer is.
    public static let taxii = "application/taxii+json;version=2.1"
    /// What a collection holds.
    public static let stix = "application/stix+json;version=2.1"

    /// Whether an `Accept` header admits TAXII 2.1: absent, a wildcard, or `application/taxii+json`
    /// without a version or with version 2.1 (parameters and their case as RFC 9110 allows).
    public static func accepts(_ header: String?) -> Bool {
        guard let header, !header.trimmingCharacters(in: .whitespaces).isEmpty else { return true }
        return header.split(separator: ",").contains { range in
            let (type, parameters) = parse(String(range))
            if parameters["q"] == "0" { return false }
            switch type {
            case "*/*", "application/*": return true
            case "application/taxii+json": return parameters["version"].map { $0 == "2.1" } ?? true
            default: return false
            }
        }
    }

    /// Whether a request body's `Content-Type` is a TAXII 2.1 envelope.
    public static func isTAXIIBody(_ header: String?) -> Bool {
        guard let header else { return false }
        let (type, parameters) = parse(header)
        return type == "application/taxii+json" && (parameters["version"].map { $0 == "2.1" } ?? true)
    }

    /// `type/subtype` in lower case and the parameters, names in lower case, quotes removed.
    static func parse(_ text: String) -> (String, [String: String]) {
        let pieces = text.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
        var parameters: [String: String] = [:]
        for piece in pieces.dropFirst() {
            let pair = piece.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard pair.count == 2 else { continue }
            parameters[pair[0].lowercased()] = pair[1].trimmingCharacters(in: CharacterSet(charactersIn: "\""))
        }
        return ((pieces.first ?? "").lowercased(), parameters)
    }
}
