import Fluent
import Foundation

/// One value Concord has seen, and where: a shared STIX object (in a collection) or an incident.
/// Looked up by `key` through an index, so matching a new value costs the same however much the
/// forum has shared.
// @unchecked Sendable: see Economy.
final class CorrelationEntry: Model, @unchecked Sendable {
    static let schema = "correlation_entries"

    /// Where a value was seen.
    enum Source: String, Codable, Sendable {
        case stix
        case incident
    }

    @ID(key: .id) var id: UUID?
    /// `CorrelationKeys.key(of:)`.
    @Field(key: "key") var key: String
    @Enum(key: "source") var source: Source
    @OptionalField(key: "collection_id") var collectionID: UUID?
    @OptionalField(key: "stix_id") var stixID: String?
    @OptionalField(key: "incident_id") var incidentID: UUID?
    @Field(key: "created_at") var createdAt: Date

    init() {}
}

/// A value known to be benign (public resolvers, the forum's own servers): never correlated.
// @unchecked Sendable: see Economy.
final class WarninglistEntry: Model, @unchecked Sendable {
    static let schema = "correlation_warninglist"

    @ID(key: .id) var id: UUID?
    @Field(key: "key") var key: String
    @Field(key: "value") var value: String

    init() {}
}
