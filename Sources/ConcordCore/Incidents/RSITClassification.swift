import Foundation

/// A classification from the Reference Security Incident Taxonomy (the eCSIRT.net/ENISA taxonomy
/// IntelMQ uses): `classification.taxonomy` and `classification.type`, written `taxonomy/type`
/// (`malicious-code/c2-server`).
public struct RSITClassification: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The taxonomy (`malicious-code`).
    public let taxonomy: String
    /// The type within it (`c2-server`).
    public let type: String

    /// The version of the taxonomy these lists follow, as reports name it.
    public static let version =
        "RSIT, machine-readable version 1 (ENISA/TF-CSIRT working copy), with the types IntelMQ 3 harmonises"

    /// Every taxonomy with its types, as the RSIT lists them.
    public static let taxonomies: [(taxonomy: String, types: [String])] = [
        ("abusive-content", ["spam", "harmful-speech", "violence"]),
        ("malicious-code", ["infected-system", "c2-server", "malware-distribution", "malware-configuration"]),
        ("information-gathering", ["scanner", "sniffing", "social-engineering"]),
        ("intrusion-attempts", ["ids-alert", "brute-force", "exploit"]),
        (
            "intrusions",
            [
                "privileged-account-compromise", "unprivileged-account-compromise", "application-compromise",
                "system-compromise", "burglary",
            ]
        ),
        ("availability", ["dos", "ddos", "misconfiguration", "sabotage", "outage"]),
        (
            "information-content-security",
            [
                "unauthorised-information-access", "unauthorised-information-modification", "data-loss", "data-leak",
            ]
        ),
        ("fraud", ["unauthorized-use-of-resources", "copyright", "masquerade", "phishing"]),
        (
            "vulnerable",
            [
                "weak-crypto", "ddos-amplifier", "potentially-unwanted-accessible", "information-disclosure",
                "vulnerable-system",
            ]
        ),
        ("other", ["other", "undetermined"]),
        ("test", ["test"]),
    ]

    /// A taxonomy or type as people read it: `malicious-code` → "Malicious code", `c2-server` →
    /// "C2 server", `ddos` → "DDoS".
    public static func label(_ name: String) -> String {
        let words: [String: String] = [
            "ddos": "DDoS", "dos": "DoS", "ids": "IDS", "c2": "C2", "unauthorised": "unauthorised",
        ]
        let text = name.split(separator: "-").map { words[String($0)] ?? String($0) }.joined(separator: " ")
        return text.prefix(1).uppercased() + text.dropFirst()
    }

    /// Whether `text` names a taxonomy (`intrusions`) or a classification (`intrusions/burglary`).
    public static func names(_ text: String) -> Bool {
        taxonomies.contains { entry in
            text == entry.taxonomy || entry.types.contains { "\(entry.taxonomy)/\($0)" == text }
        }
    }

    /// A known taxonomy and type, or nil.
    public init?(taxonomy: String, type: String) {
        let taxonomy = taxonomy.lowercased()
        let type = type.lowercased()
        guard Self.taxonomies.contains(where: { $0.taxonomy == taxonomy && $0.types.contains(type) }) else {
            return nil
        }
        self.taxonomy = taxonomy
        self.type = type
    }

    /// Reads `taxonomy/type`; case-insensitive.
    public init?(_ text: String) {
        let parts = text.trimmingSpaces.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2 else { return nil }
        self.init(taxonomy: String(parts[0]), type: String(parts[1]))
    }

    public var description: String { "\(taxonomy)/\(type)" }
}
