import Foundation

/// What a communication check finds wrong with a point of contact before anybody answers: the
/// key an e-mail contact should have and what is wrong with it.
public enum ContactFindings {
    /// A key expiring this soon is worth telling.
    public static let expiryWarning: TimeInterval = 30 * 86_400

    /// What the directory holds about one contact's key.
    public struct Key: Sendable, Equatable {
        /// The armored key, if any.
        public let present: Bool
        /// GnuPG's finding when the key was stored (expired, revoked, unparsable).
        public let finding: String?
        public let expiresAt: Date?
        /// The user ids of the key, one a line.
        public let userIDs: String?
        /// The fingerprint the directory shows.
        public let directoryFingerprint: String?
        /// The fingerprint read from the key now.
        public let keyFingerprint: String?

        public init(
            present: Bool, finding: String?, expiresAt: Date?, userIDs: String?, directoryFingerprint: String?,
            keyFingerprint: String?
        ) {
            self.present = present
            self.finding = finding
            self.expiresAt = expiresAt
            self.userIDs = userIDs
            self.directoryFingerprint = directoryFingerprint
            self.keyFingerprint = keyFingerprint
        }
    }

    /// The findings of an e-mail contact at `address` with `key`, at `now`.
    public static func of(address: String, key: Key, now: Date) -> [String] {
        guard key.present else { return ["no OpenPGP key"] }
        var findings: [String] = []
        if let finding = key.finding {
            findings.append("key \(finding)")
        } else if let expiry = key.expiresAt {
            if expiry <= now {
                findings.append("key expired")
            } else if expiry.timeIntervalSince(now) <= expiryWarning {
                findings.append("key expires within 30 days")
            }
        }
        if let stored = key.directoryFingerprint, let read = key.keyFingerprint,
            stored.uppercased() != read.uppercased()
        {
            findings.append("wrong fingerprint in the directory: the key is \(read)")
        }
        if let ids = key.userIDs, !ids.lowercased().contains(address.lowercased()) {
            findings.append("the key's user ids do not name \(address)")
        }
        return findings
    }
}
