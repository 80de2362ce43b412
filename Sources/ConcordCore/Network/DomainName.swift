import Foundation

/// A DNS name normalised for comparison: lower case, no trailing dot, internationalised labels in
/// their `xn--` Punycode form, every label checked against RFC 1035/5891 host-name rules.
public struct DomainName: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The labels, most significant last (`["www", "example"]`).
    public let labels: [String]

    /// Why a text is not a domain name.
    public enum ParseError: Error, Equatable, CustomStringConvertible {
        case empty
        case tooLong
        case badLabel(String)
        /// A name whose last label is all digits (`300.1.1.1`, `198.51.100.999`): no top-level
        /// domain is, so it is a mistyped address.
        case numericTopLevel(String)

        public var description: String {
            switch self {
            case .empty: return "the domain is empty"
            case .tooLong: return "the domain is longer than 253 characters"
            case .badLabel(let label): return "'\(label)' is not a valid domain label"
            case .numericTopLevel(let text):
                return
                    "'\(text)' is neither an IP address (each part of an IPv4 address is 0 to 255) nor a domain (a domain never ends in digits)"
            }
        }
    }

    /// Parses a name; a leading `*.` or `.` (as written for suffixes) is accepted and dropped.
    public static func parse(_ text: String) -> Result<DomainName, ParseError> {
        var trimmed = Substring(text.trimmingSpaces)
        if trimmed.hasPrefix("*.") { trimmed = trimmed.dropFirst(2) }
        if trimmed.hasPrefix(".") { trimmed = trimmed.dropFirst() }
        if trimmed.hasSuffix(".") { trimmed = trimmed.dropLast() }
        guard !trimmed.isEmpty else { return .failure(.empty) }
        var labels: [String] = []
        // Full stops that IDNA treats as separators (ideographic, fullwidth, halfwidth).
        let separators: Set<Character> = [".", "\u{3002}", "\u{FF0E}", "\u{FF61}"]
        for raw in trimmed.split(omittingEmptySubsequences: false, whereSeparator: { separators.contains($0) }) {
            let lower = raw.lowercased()
            guard !lower.isEmpty else { return .failure(.badLabel(String(raw))) }
            let ascii: String
            if lower.allSatisfy(\.isASCII) {
                ascii = lower
            } else {
                guard let encoded = Punycode.encode(lower.precomposedStringWithCanonicalMapping) else {
                    return .failure(.badLabel(String(raw)))
                }
                ascii = "xn--" + encoded
            }
            guard isValidLabel(ascii) else { return .failure(.badLabel(String(raw))) }
            labels.append(ascii)
        }
        if labels.count >= 2, let last = labels.last, last.allSatisfy(\.isNumber) {
            return .failure(.numericTopLevel(String(trimmed)))
        }
        let name = DomainName(labels: labels)
        guard name.description.utf8.count <= 253 else { return .failure(.tooLong) }
        return .success(name)
    }

    /// Parses a name or returns nil.
    public init?(_ text: String) {
        guard case .success(let name) = DomainName.parse(text) else { return nil }
        self = name
    }

    init(labels: [String]) { self.labels = labels }

    /// Letters, digits and hyphens, 1–63 characters, no hyphen at either end.
    static func isValidLabel(_ label: String) -> Bool {
        let bytes = Array(label.utf8)
        guard (1...63).contains(bytes.count), bytes.first != UInt8(ascii: "-"), bytes.last != UInt8(ascii: "-")
        else { return false }
        return bytes.allSatisfy { byte in
            (byte >= 97 && byte <= 122) || (byte >= 48 && byte <= 57) || byte == 45 || byte == 95
        }
    }

    /// Whether this name is `suffix` or lies below it (`www.example` is under `example`).
    public func isSubdomain(of suffix: DomainName) -> Bool {
        labels.count >= suffix.labels.count && Array(labels.suffix(suffix.labels.count)) == suffix.labels
    }

    /// This name and each of its parents, longest first (`a.b.example`, `b.example`, `example`).
    public var suffixes: [DomainName] {
        (0..<labels.count).map { DomainName(labels: Array(labels[$0...])) }
    }

    public var description: String { labels.joined(separator: ".") }

    public static func < (lhs: DomainName, rhs: DomainName) -> Bool { lhs.description < rhs.description }
}
