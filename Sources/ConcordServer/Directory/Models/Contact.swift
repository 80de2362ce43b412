import Fluent
import Foundation

/// A point of contact of a team, with its OpenPGP key for e-mail contacts.
// @unchecked Sendable: see Economy.
final class Contact: Model, @unchecked Sendable {
    static let schema = "contacts"

    /// How the contact is reached.
    enum Kind: String, CaseIterable, Codable, Sendable {
        case phone247 = "phone-24x7"
        case emergencyEmail = "emergency-email"
        case generalEmail = "general-email"
        case hotline
        case secureMessenger = "secure-messenger"

        var isEmail: Bool { self == .emergencyEmail || self == .generalEmail }
    }

    /// When the contact answers.
    enum Availability: String, CaseIterable, Codable, Sendable {
        case always = "24x7"
        case businessHours = "business-hours"
    }

    @ID(key: .id) var id: UUID?
    @Parent(key: "team_id") var team: Team
    @Enum(key: "kind") var kind: Kind
    @Field(key: "value") var value: String
    @Enum(key: "availability") var availability: Availability
    @Field(key: "published") var published: Bool
    @OptionalField(key: "last_verified_on") var lastVerifiedOn: String?
    @OptionalField(key: "pgp_key") var pgpKey: String?
    @OptionalField(key: "pgp_fingerprint") var pgpFingerprint: String?
    @OptionalField(key: "pgp_user_ids") var pgpUserIDs: String?
    @OptionalField(key: "pgp_algorithm") var pgpAlgorithm: String?
    @OptionalField(key: "pgp_created_at") var pgpCreatedAt: Date?
    @OptionalField(key: "pgp_expires_at") var pgpExpiresAt: Date?
    @OptionalField(key: "pgp_finding") var pgpFinding: String?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    init() {}

    /// Copies what GnuPG read from the key, or clears the key fields.
    func apply(_ key: OpenPGPKeyInfo?, armored: String?) {
        pgpKey = armored
        pgpFingerprint = key?.fingerprint
        pgpUserIDs = key?.userIDs.joined(separator: "\n")
        pgpAlgorithm = key?.algorithm
        pgpCreatedAt = key?.createdAt
        pgpExpiresAt = key?.expiresAt
        pgpFinding = key?.finding?.rawValue
    }

    /// Takes over another contact's key and what was read from it.
    func copyKey(from other: Contact) {
        pgpKey = other.pgpKey
        pgpFingerprint = other.pgpFingerprint
        pgpUserIDs = other.pgpUserIDs
        pgpAlgorithm = other.pgpAlgorithm
        pgpCreatedAt = other.pgpCreatedAt
        pgpExpiresAt = other.pgpExpiresAt
        pgpFinding = other.pgpFinding
    }
}
