import ConcordCore
import Fluent
import Foundation

/// A TAXII collection: the forum-wide one (TLP:CLEAR and TLP:GREEN for every member), one per team
/// (its own objects), or a sharing group's (the teams in the group). It keeps the last
/// `date_added` it handed out, so the next ones are strictly later even across server instances.
// @unchecked Sendable: see Economy.
final class SharingCollection: Model, @unchecked Sendable {
    static let schema = "sharing_collections"

    /// What a collection is for, which decides who may read and write it.
    enum Kind: String, Codable, Sendable {
        case forum
        case team
        case group
    }

    @ID(key: .id) var id: UUID?
    @Enum(key: "kind") var kind: Kind
    /// The team of a team collection.
    @OptionalField(key: "team_id") var teamID: UUID?
    @Field(key: "title") var title: String
    @Field(key: "description") var summary: String
    /// The latest `date_added` given out here, in microseconds since 1970.
    @Field(key: "last_added_us") var lastAddedMicroseconds: Int64
    @Field(key: "created_at") var createdAt: Date

    init() {}

    /// `createdAt` defaults to the system clock for the migration that makes the forum's collection
    /// (migrations run before the application's clock exists); everything else passes its clock's time.
    init(
        id: UUID, kind: Kind, teamID: UUID?, title: String, summary: String, createdAt: Date = SystemClock().now()
    ) {
        self.id = id
        self.kind = kind
        self.teamID = teamID
        self.title = title
        self.summary = summary
        self.lastAddedMicroseconds = 0
        self.createdAt = createdAt
    }
}

/// A team in a sharing group.
// @unchecked Sendable: see Economy.
final class SharingGroupMember: Model, @unchecked Sendable {
    static let schema = "sharing_group_members"

    @ID(key: .id) var id: UUID?
    @Parent(key: "collection_id") var collection: SharingCollection
    @Field(key: "team_id") var teamID: UUID

    init() {}
}

/// One version of one STIX object in one collection: its JSON as received (with the TLP marking
/// Concord defaulted, if any) and the columns TAXII filters and pages on.
// @unchecked Sendable: see Economy.
final class StoredSTIXObject: Model, @unchecked Sendable {
    static let schema = "stix_objects"

    @ID(key: .id) var id: UUID?
    @Field(key: "collection_id") var collectionID: UUID
    @Field(key: "stix_id") var stixID: String
    @Field(key: "stix_type") var type: String
    @Field(key: "spec_version") var specVersion: String
    /// The version: `modified`, else `created`, else (observables) the first `date_added`; µs.
    @Field(key: "version_us") var versionMicroseconds: Int64
    /// Microseconds, strictly increasing within the collection.
    @Field(key: "date_added_us") var dateAddedMicroseconds: Int64
    /// `TAXIIKeyset.versionKey`: the tie-break of the paging order.
    @Field(key: "version_key") var versionKey: String
    @Field(key: "is_first") var isFirst: Bool
    @Field(key: "is_last") var isLast: Bool
    @OptionalField(key: "created_by_ref") var createdByRef: String?
    @Field(key: "tlp") var tlp: TLPLabel
    @Field(key: "owner_team_id") var ownerTeamID: UUID
    /// The person who shared it; nil when Concord did (surge alerts).
    @OptionalField(key: "owner_user_id") var ownerUserID: UUID?
    @Field(key: "revoked") var revoked: Bool
    /// The object's JSON.
    @Field(key: "body") var body: String

    init() {}
}

/// The status resource of one Add Objects request (TAXII 2.1 §4.3), kept for at least 24 hours.
// @unchecked Sendable: see Economy.
final class TAXIIStatusRecord: Model, @unchecked Sendable {
    static let schema = "taxii_statuses"

    @ID(key: .id) var id: UUID?
    @Field(key: "collection_id") var collectionID: UUID
    /// Only the user who sent the objects reads the status.
    @Field(key: "user_id") var userID: UUID
    /// `pending` or `complete` (text: a landed migration writes it as such; the stored-values check
    /// holds it to those two).
    @Field(key: "status") var status: String
    @Field(key: "request_us") var requestMicroseconds: Int64
    @Field(key: "total_count") var totalCount: Int
    /// The status resource as it is served (`TAXIIStatusService.document`).
    @Field(key: "document") var document: String
    @Field(key: "created_at") var createdAt: Date
    /// While `pending`: until when the instance storing the objects holds it (database clock).
    @OptionalField(key: "lease_until") var leaseUntil: Date?
    /// While `pending`: the token of the instance's claim; its completion must carry it.
    @OptionalField(key: "claim_token") var claimToken: String?

    init() {}
}

/// A large Add Objects envelope as it was sent, kept beside its pending status until its objects
/// are stored (deleted in that transaction), so any instance can store it after a crash.
// @unchecked Sendable: see Economy.
final class TAXIIEnvelope: Model, @unchecked Sendable {
    static let schema = "taxii_envelopes"

    /// The id of its status.
    @ID(key: .id) var id: UUID?
    /// The team the objects are stored for.
    @Field(key: "team_id") var teamID: UUID
    @Field(key: "body") var body: Data
    @Field(key: "created_at") var createdAt: Date

    init() {}
}

/// One delivery to someone outside the team that shared the objects: who received which
/// versions, under which labels, by which channel and when. One row per response and sharing team
/// (a TAXII page of 1,000 objects is one row, not 1,000), with the objects listed in `objects`.
// @unchecked Sendable: see Economy.
final class STIXDelivery: Model, @unchecked Sendable {
    static let schema = "stix_deliveries"

    /// How objects left Concord.
    enum Channel: String, Codable, Sendable {
        case taxii
        case mispFeed = "misp-feed"
    }

    /// One object of a delivery.
    struct Item: Codable, Sendable {
        let id: String
        let version: Int64
        let tlp: TLPLabel
    }

    @ID(key: .id) var id: UUID?
    @Field(key: "owner_team_id") var ownerTeamID: UUID
    @Field(key: "recipient_team_id") var recipientTeamID: UUID
    @Field(key: "recipient_user_id") var recipientUserID: UUID
    @Enum(key: "channel") var channel: Channel
    @Field(key: "delivered_at") var deliveredAt: Date
    @Field(key: "count") var count: Int
    /// JSON array of `Item`.
    @Field(key: "objects") var objects: String

    init() {}
}
